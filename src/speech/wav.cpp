#include "speech/wav.hpp"

namespace crossvoice::speech {
namespace {

void put_u16(std::string& out, std::uint16_t value) {
    out += static_cast<char>(value & 0xFFU);
    out += static_cast<char>((value >> 8U) & 0xFFU);
}

void put_u32(std::string& out, std::uint32_t value) {
    put_u16(out, static_cast<std::uint16_t>(value & 0xFFFFU));
    put_u16(out, static_cast<std::uint16_t>(value >> 16U));
}

}  // namespace

std::string encode_wav_pcm16_mono(std::span<const std::int16_t> samples, std::uint32_t sample_rate) {
    constexpr std::uint16_t kChannels = 1;
    constexpr std::uint16_t kBitsPerSample = 16;
    constexpr std::uint16_t kBlockAlign = kChannels * kBitsPerSample / 8;
    const auto data_bytes = static_cast<std::uint32_t>(samples.size() * kBlockAlign);

    std::string out;
    out.reserve(44 + data_bytes);
    out += "RIFF";
    put_u32(out, 36 + data_bytes);  // everything after this field
    out += "WAVE";
    out += "fmt ";
    put_u32(out, 16);  // size of the PCM format chunk
    put_u16(out, 1);   // WAVE_FORMAT_PCM
    put_u16(out, kChannels);
    put_u32(out, sample_rate);
    put_u32(out, sample_rate * kBlockAlign);  // bytes per second
    put_u16(out, kBlockAlign);
    put_u16(out, kBitsPerSample);
    out += "data";
    put_u32(out, data_bytes);
    // Written byte by byte so the file is little-endian whatever the host is.
    for (const std::int16_t sample : samples) put_u16(out, static_cast<std::uint16_t>(sample));
    return out;
}

}  // namespace crossvoice::speech
