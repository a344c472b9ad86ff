#include "speech/g711.hpp"

namespace crossvoice::speech {

// The reference decoders of ITU-T G.711 (as in the Sun/CCITT g711.c every telephony stack derives from).
// Codes are stored bit-inverted (μ-law) or with even bits inverted (A-law) so that line silence is not a
// run of zero bits; undo that, then rebuild the segment (exponent) and quantisation step (mantissa).

std::int16_t mulaw_to_linear(std::uint8_t code) {
    constexpr int kBias = 0x84;
    const int inverted = static_cast<std::uint8_t>(~code);
    const int segment = (inverted >> 4) & 0x07;
    const int magnitude = ((((inverted & 0x0F) << 3) + kBias) << segment) - kBias;
    return static_cast<std::int16_t>((inverted & 0x80) != 0 ? -magnitude : magnitude);
}

std::int16_t alaw_to_linear(std::uint8_t code) {
    const int toggled = code ^ 0x55;
    const int segment = (toggled >> 4) & 0x07;
    int magnitude = (toggled & 0x0F) << 4;
    if (segment == 0) {
        magnitude += 8;
    } else {
        magnitude = (magnitude + 0x108) << (segment - 1);
    }
    // A-law's sign bit is set for positive values, the opposite of μ-law.
    return static_cast<std::int16_t>((toggled & 0x80) != 0 ? magnitude : -magnitude);
}

}  // namespace crossvoice::speech
