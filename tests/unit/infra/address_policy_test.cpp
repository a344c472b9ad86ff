#include "infra/address_policy.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

namespace crossvoice::infra {
namespace {

bool is_public(const std::string& text) {
    sockaddr_in6 v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        return is_public_address(reinterpret_cast<const sockaddr*>(&v6));
    }
    sockaddr_in v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4.sin_addr) != 1) throw std::invalid_argument(text);
    v4.sin_family = AF_INET;
    return is_public_address(reinterpret_cast<const sockaddr*>(&v4));
}

TEST(AddressPolicy, RefusesEveryInternalRangeAndAcceptsPublicUnicast) {
    for (const char* internal : {"127.0.0.1",
                                 "127.255.0.9",
                                 "10.1.2.3",
                                 "172.16.0.1",
                                 "172.31.255.255",
                                 "192.168.1.1",
                                 "169.254.169.254",
                                 "100.64.0.1",
                                 "0.0.0.0",
                                 "224.0.0.1",
                                 "255.255.255.255",
                                 "198.18.0.1",
                                 "192.0.2.10",
                                 "::1",
                                 "::",
                                 "fe80::1",
                                 "fd00::5",
                                 "ff02::1",
                                 "::ffff:127.0.0.1",
                                 "::ffff:10.0.0.1",
                                 "64:ff9b::a9fe:a9fe",
                                 "2001:db8::1"}) {
        EXPECT_FALSE(is_public(internal)) << internal;
    }
    for (const char* outside :
         {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.4.4"}) {
        EXPECT_TRUE(is_public(outside)) << outside;
    }
}

TEST(AddressPolicy, NamesTheAddress) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    inet_pton(AF_INET, "10.9.8.7", &v4.sin_addr);
    EXPECT_EQ(address_text(reinterpret_cast<const sockaddr*>(&v4)), "10.9.8.7");
    EXPECT_FALSE(is_public_address(nullptr));
}

}  // namespace
}  // namespace crossvoice::infra
