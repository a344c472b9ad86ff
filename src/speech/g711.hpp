#pragma once

#include <cstdint>

namespace crossvoice::speech {

// ITU-T G.711 companding: one 8-bit code to a 16-bit linear sample.
std::int16_t mulaw_to_linear(std::uint8_t code);
std::int16_t alaw_to_linear(std::uint8_t code);

}  // namespace crossvoice::speech
