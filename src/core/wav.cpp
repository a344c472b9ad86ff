#include "core/wav.hpp"

namespace crossvoice::core {
namespace {

// RIFF is little-endian whatever the host; read and write byte by byte.
std::uint32_t read_u32(std::string_view bytes, std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3])) << 24;
}

std::uint16_t read_u16(std::string_view bytes, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) | static_cast<unsigned char>(bytes[at + 1])
                                                                                  << 8);
}

void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void put_u16(std::string& out, std::uint16_t value) {
    out.push_back(static_cast<char>(value & 0xFF));
    out.push_back(static_cast<char>(value >> 8));
}

constexpr std::uint16_t kFormatPcm = 1;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;

}  // namespace

std::optional<PcmAudio> parse_wav(std::string_view bytes) {
    if (bytes.size() < 12 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 4) != "WAVE") return std::nullopt;
    std::optional<PcmAudio> format;
    std::size_t at = 12;
    while (at + 8 <= bytes.size()) {
        const auto id = bytes.substr(at, 4);
        const std::size_t declared = read_u32(bytes, at + 4);
        const std::size_t body = at + 8;
        const std::size_t available = bytes.size() - body;
        if (id == "fmt ") {
            if (declared < 16 || declared > available) return std::nullopt;
            const auto tag = read_u16(bytes, body);
            const auto channels = read_u16(bytes, body + 2);
            const auto rate = read_u32(bytes, body + 4);
            const auto bits = read_u16(bytes, body + 14);
            // An extensible header says PCM in the first two bytes of its sub-format GUID.
            const bool pcm = tag == kFormatPcm ||
                             (tag == kFormatExtensible && declared >= 40 && read_u16(bytes, body + 24) == kFormatPcm);
            if (!pcm || bits != 16 || channels == 0 || channels > 8 || rate == 0 || rate > 384'000) return std::nullopt;
            format = PcmAudio{static_cast<int>(rate), channels, {}};
        } else if (id == "data") {
            if (!format) return std::nullopt;  // data before fmt: not a file we can trust
            std::size_t size = declared > available ? available : declared;
            const std::size_t frame_bytes = 2 * static_cast<std::size_t>(format->channels);
            size -= size % frame_bytes;
            format->samples.resize(size / 2);
            for (std::size_t i = 0; i < format->samples.size(); ++i) {
                format->samples[i] = static_cast<std::int16_t>(read_u16(bytes, body + 2 * i));
            }
            return format;
        }
        if (declared > available) break;
        at = body + declared + (declared & 1);  // chunks are padded to an even size
    }
    return std::nullopt;
}

std::string write_wav(const PcmAudio& audio) {
    const auto channels = static_cast<std::uint16_t>(audio.channels);
    const auto data_bytes = static_cast<std::uint32_t>(audio.samples.size() * 2);
    std::string out;
    out.reserve(44 + data_bytes);
    out.append("RIFF");
    put_u32(out, 36 + data_bytes);
    out.append("WAVEfmt ");
    put_u32(out, 16);
    put_u16(out, kFormatPcm);
    put_u16(out, channels);
    put_u32(out, static_cast<std::uint32_t>(audio.sample_rate));
    put_u32(out, static_cast<std::uint32_t>(audio.sample_rate) * channels * 2);  // byte rate
    put_u16(out, static_cast<std::uint16_t>(channels * 2));                      // block align
    put_u16(out, 16);
    out.append("data");
    put_u32(out, data_bytes);
    for (const auto sample : audio.samples) put_u16(out, static_cast<std::uint16_t>(sample));
    return out;
}

}  // namespace crossvoice::core
