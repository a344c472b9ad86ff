#include "http/request_id.hpp"

#include <random>

namespace crossvoice::http {

bool is_acceptable_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char ch : id) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                        ch == '_' || ch == ':' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

std::string generate_request_id() {
    // Unique, not secret: a per-thread generator keeps this off any lock.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id = "req_";
    for (int word = 0; word < 2; ++word) {
        auto bits = generator();
        for (int i = 0; i < 16; ++i, bits >>= 4) id.push_back(kHex[bits & 0xf]);
    }
    return id;
}

}  // namespace crossvoice::http
