#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/ivr/instruction.hpp"
#include "core/result.hpp"

namespace crossvoice::telnyx {

// Limits against abusive documents. Nesting needs no number: the TeXML grammar itself stops at
// Response > Start > Stream > Parameter, and anything deeper is an element out of place.
inline constexpr std::size_t kMaxTexmlBytes = 1024 * 1024;
inline constexpr std::size_t kMaxTexmlChildren = 1000;  // instructions in <Response>, children of any one element
inline constexpr std::size_t kMaxTexmlAttributes = 64;  // on any one element

// Reads a Telnyx TeXML document (vendor reference B.1/B.2; TwiML-style documents alike) into instructions.
//
// Accepted: one root <Response> holding the verbs Say, Play, Pause, Gather (Say, Play, Pause inside), Record, Dial
// (Number, Sip, Queue, Conference inside, or the number as plain text: <Dial>+15551234567</Dial>), Hangup,
// Redirect, Reject, Enqueue, Leave, Refer (Sip inside), Start and Stop (Stream, with Parameter inside, and
// Transcription). Attributes may come in any order; attributes we have no field for are ignored, so documents
// written for Twilio still read. Integers are decimal digits, bools "true"/"false" in any case. The text of an
// element (Say's words, Play's URL, a number...) is trimmed of surrounding whitespace, so indentation in hand-written
// documents does not leak into it. Comments, processing instructions and the DOCTYPE are skipped; entities other
// than the five predefined ones and character references are left as written (never expanded).
//
// Errors, with details["offset"] the byte offset of the trouble where known:
// - kPayloadTooLarge: more than kMaxTexmlBytes.
// - kBadRequest: not well-formed XML (pugixml's description and offset), a NUL byte, more than one root element,
//   a duplicate attribute, or text that is not valid UTF-8 or holds a character XML 1.0 forbids.
// - kValidation with details["field"] naming the element, or Element@attribute: a root other than <Response>, an
//   unknown verb, an element where TeXML does not allow it (<Say> inside <Dial>), an integer or bool that does not
//   read (`Gather@timeout: "abc" is not an integer`), a required text or child missing (Say without words, Dial
//   without a target, Parameter without a name), or more than kMaxTexmlChildren / kMaxTexmlAttributes.
// Names and values quoted in messages are cut to printable ASCII. Nothing throws (but std::bad_alloc).
core::Result<std::vector<core::ivr::Instruction>> parse_texml(std::string_view document);

}  // namespace crossvoice::telnyx
