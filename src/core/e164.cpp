#include "core/e164.hpp"

namespace crossvoice::core {

bool is_e164(std::string_view number) {
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
    for (char ch : number.substr(1)) {
        if (ch < '0' || ch > '9') return false;
    }
    return true;
}

}  // namespace crossvoice::core
