#include "language/language_codes.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace crossvoice::language {
namespace {

// ISO 639-3 (and the 639-2/B spellings some tools use) to 639-1, for the languages Apertium and
// LibreTranslate ship pairs for.
constexpr std::array<std::pair<std::string_view, std::string_view>, 96> kThreeToTwo{{
    {"afr", "af"}, {"amh", "am"}, {"ara", "ar"}, {"arg", "an"}, {"aze", "az"}, {"bak", "ba"}, {"bel", "be"},
    {"ben", "bn"}, {"bos", "bs"}, {"bre", "br"}, {"bul", "bg"}, {"cat", "ca"}, {"ces", "cs"}, {"chv", "cv"},
    {"cos", "co"}, {"cym", "cy"}, {"cze", "cs"}, {"dan", "da"}, {"deu", "de"}, {"dut", "nl"}, {"ell", "el"},
    {"eng", "en"}, {"epo", "eo"}, {"est", "et"}, {"eus", "eu"}, {"fao", "fo"}, {"fas", "fa"}, {"fin", "fi"},
    {"fra", "fr"}, {"fre", "fr"}, {"fry", "fy"}, {"gla", "gd"}, {"gle", "ga"}, {"glg", "gl"}, {"glv", "gv"},
    {"ger", "de"}, {"guj", "gu"}, {"hat", "ht"}, {"hbs", "sh"}, {"heb", "he"}, {"hin", "hi"}, {"hrv", "hr"},
    {"hun", "hu"}, {"hye", "hy"}, {"ind", "id"}, {"isl", "is"}, {"ita", "it"}, {"jpn", "ja"}, {"kan", "kn"},
    {"kat", "ka"}, {"kaz", "kk"}, {"kir", "ky"}, {"kor", "ko"}, {"kur", "ku"}, {"lat", "la"}, {"lav", "lv"},
    {"lit", "lt"}, {"ltz", "lb"}, {"mal", "ml"}, {"mar", "mr"}, {"mkd", "mk"}, {"mlt", "mt"}, {"msa", "ms"},
    {"nld", "nl"}, {"nno", "nn"}, {"nob", "nb"}, {"nor", "no"}, {"oci", "oc"}, {"pan", "pa"}, {"pol", "pl"},
    {"por", "pt"}, {"ron", "ro"}, {"rum", "ro"}, {"rus", "ru"}, {"slk", "sk"}, {"slv", "sl"}, {"sme", "se"},
    {"spa", "es"}, {"sqi", "sq"}, {"srd", "sc"}, {"srp", "sr"}, {"swa", "sw"}, {"swe", "sv"}, {"tam", "ta"},
    {"tat", "tt"}, {"tel", "te"}, {"tgl", "tl"}, {"tha", "th"}, {"tur", "tr"}, {"uig", "ug"}, {"ukr", "uk"},
    {"urd", "ur"}, {"uzb", "uz"}, {"vie", "vi"}, {"zho", "zh"}, {"zul", "zu"},
}};

}  // namespace

std::string iso639_1(std::string_view code) {
    const auto end = code.find_first_of("-_");
    std::string primary(code.substr(0, end));
    for (char& ch : primary) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    if (primary.size() == 3) {
        const auto* found = std::find_if(kThreeToTwo.begin(), kThreeToTwo.end(),
                                         [&](const auto& entry) { return entry.first == primary; });
        if (found != kThreeToTwo.end()) return std::string(found->second);
    }
    return primary;
}

std::string describe_pairs(const std::vector<core::ports::LanguagePair>& pairs) {
    if (pairs.empty()) return "none";
    std::string text;
    for (const auto& pair : pairs) {
        if (!text.empty()) text += ", ";
        text += pair.source + "→" + pair.target;
    }
    return text;
}

}  // namespace crossvoice::language
