#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ivr/instruction.hpp"

namespace crossvoice::telnyx {

// Writes instructions as a Telnyx TeXML document (vendor reference B.1/B.2). Deterministic: the same instructions
// give the same bytes. The shape, which the golden files in tests/unit/telnyx/golden/ pin down:
//
//   <?xml version="1.0" encoding="UTF-8"?>\n
//   <Response>\n            (no instructions: the single line <Response/>\n)
//     <Verb attr="...">text</Verb>\n
//     <Verb attr="...">\n   (a verb with children: each child on its own line, two more spaces)
//       <Noun/>\n
//     </Verb>\n
//   </Response>\n
//
// An element with neither text nor children is self-closing. Attributes use the TeXML names and appear in the
// order of the fields in core/ivr/instruction.hpp (Gather: action, method, input, timeout, finishOnKey, numDigits,
// minDigits, maxDigits, validDigits, language, hints, speechTimeout; the other elements likewise); an absent
// optional is not written, bools are "true"/"false". A Dial always writes its targets as <Number>/<Sip>/<Queue>/
// <Conference> children, never as bare text. Text is written on the element's line, so indentation never adds
// whitespace to it; parse_texml trims the text of each element, so text with leading or trailing whitespace does
// not survive a round trip (all else does). Nothing is validated here: the IVR engine's instructions are trusted,
// and an empty Dial renders as <Dial/> even though parse_texml refuses it.
std::string render_texml(const std::vector<core::ivr::Instruction>& instructions);

// XML 1.0 escaping. Both escape & < > " ' as entities and drop what no XML 1.0 document may contain (invalid
// UTF-8, control characters other than TAB/LF/CR, surrogates, U+FFFE/U+FFFF), so the output is always well-formed.
// Text escapes CR as &#13; because XML parsers turn a literal CR into LF; attribute values also escape TAB and LF,
// because parsers turn literal whitespace in attributes into spaces.
std::string escape_xml_text(std::string_view text);
std::string escape_xml_attribute(std::string_view value);

// True when `text` is valid UTF-8 made only of characters XML 1.0 allows (TAB, LF, CR, U+0020-U+D7FF,
// U+E000-U+FFFD, U+10000-U+10FFFF): exactly the strings the escape functions keep whole.
bool is_xml_text(std::string_view text);

}  // namespace crossvoice::telnyx
