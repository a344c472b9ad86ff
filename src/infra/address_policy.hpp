#pragma once

#include <string>

struct sockaddr;

namespace crossvoice::infra {

// Whether `address` (AF_INET or AF_INET6) is a public unicast address: not loopback, unspecified, private
// (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10), shared (100.64/10), benchmark
// (198.18/15), IETF (192.0.0/24), documentation, multicast or reserved. IPv4-mapped and NAT64 IPv6 addresses
// are judged by the IPv4 address they carry. Other families are not public.
bool is_public_address(const sockaddr* address);

// "203.0.113.7" / "::1", for messages.
std::string address_text(const sockaddr* address);

}  // namespace crossvoice::infra
