#include "infra/sodium_crypto.hpp"

#include <gtest/gtest.h>

#include <string>

namespace crossvoice::infra {
namespace {

TEST(SodiumCrypto, HmacSha256MatchesRfc4231) {
    SodiumCrypto crypto;
    // RFC 4231 test case 2, and test case 6 (a key longer than the block size).
    EXPECT_EQ(crypto.hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(
        crypto.hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

}  // namespace
}  // namespace crossvoice::infra
