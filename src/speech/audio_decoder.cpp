#include "speech/audio_decoder.hpp"

#include <fmt/format.h>
#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "speech/g711.hpp"

namespace crossvoice::speech {
namespace {

using core::Error;
using core::ErrorCode;
using core::ports::DecodedAudio;
using core::ports::DecodeLimits;
using core::ports::RawAudioFormat;
using core::ports::RawEncoding;

constexpr int kMaxChannels = 8;
constexpr int kMinSampleRate = 4'000;
constexpr int kMaxSampleRate = 192'000;

// ---- What the bytes are -------------------------------------------------------------------------------

struct Container {
    std::string name;          // "wav", … as in DecodedAudio::container
    std::string content_type;  // "audio/wav", …
    std::string label;         // for messages: "WAV"
};

// substr that never throws: bytes shorter than a header just do not match it.
std::string_view slice(std::string_view bytes, std::size_t at, std::size_t length) {
    return at <= bytes.size() ? bytes.substr(at, length) : std::string_view{};
}

bool starts_with(std::string_view bytes, std::string_view prefix) { return slice(bytes, 0, prefix.size()) == prefix; }

unsigned char byte_at(std::string_view bytes, std::size_t at) {
    return at < bytes.size() ? static_cast<unsigned char>(bytes[at]) : 0;
}

// An MPEG audio frame header: 11 sync bits, a version that is not "reserved", a layer that is not
// "reserved" (layer bits 00 are AAC's ADTS, which shares the sync word).
bool mpeg_audio_sync(std::string_view bytes) {
    if (bytes.size() < 2 || byte_at(bytes, 0) != 0xFF || (byte_at(bytes, 1) & 0xE0) != 0xE0) return false;
    const int version = (byte_at(bytes, 1) >> 3) & 0x03;
    const int layer = (byte_at(bytes, 1) >> 1) & 0x03;
    return version != 0x01 && layer != 0x00;
}

// The containers we hand to libsndfile, recognised by their magic bytes.
std::optional<Container> recognise_audio(std::string_view bytes) {
    if ((starts_with(bytes, "RIFF") || starts_with(bytes, "RF64")) && slice(bytes, 8, 4) == "WAVE") {
        return Container{"wav", "audio/wav", "WAV"};
    }
    if (starts_with(bytes, "fLaC")) return Container{"flac", "audio/flac", "FLAC"};
    if (starts_with(bytes, "OggS")) return Container{"ogg", "audio/ogg", "Ogg"};
    if (starts_with(bytes, "ID3") || mpeg_audio_sync(bytes)) return Container{"mp3", "audio/mpeg", "MP3"};
    return std::nullopt;
}

std::string_view skip_space(std::string_view bytes) {
    std::size_t at = 0;
    if (starts_with(bytes, "\xEF\xBB\xBF")) at = 3;  // UTF-8 byte order mark
    while (at < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[at])) != 0) ++at;
    return slice(bytes, at, std::string_view::npos);
}

bool starts_with_ignoring_case(std::string_view bytes, std::string_view prefix) {
    if (bytes.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(bytes[i])) != prefix[i]) return false;
    }
    return true;
}

// What a body that is not audio we read looks like, for the error message (people upload the wrong file,
// or a download link returns an HTML error page). `kind` is a short machine-readable name.
struct Lookalike {
    std::string_view kind;
    std::string_view description;
};

Lookalike describe_other(std::string_view bytes) {
    const std::string_view text = skip_space(bytes);
    if (starts_with(bytes, "%PDF")) return {"pdf", "a PDF document"};
    if (starts_with_ignoring_case(text, "<!doctype html") || starts_with_ignoring_case(text, "<html")) {
        return {"html", "an HTML page"};
    }
    if (starts_with_ignoring_case(text, "<?xml")) return {"xml", "an XML document"};
    if (starts_with(text, "{") || starts_with(text, "[")) return {"json", "JSON"};
    if (starts_with(bytes, "\x89PNG")) return {"png", "a PNG image"};
    if (starts_with(bytes, "\xFF\xD8\xFF")) return {"jpeg", "a JPEG image"};
    if (starts_with(bytes, "GIF8")) return {"gif", "a GIF image"};
    if (starts_with(bytes, std::string_view("PK\x03\x04", 4))) return {"zip", "a ZIP archive (or an Office document)"};
    if (slice(bytes, 4, 4) == "ftyp") return {"mp4", "an MP4/M4A file (AAC audio is not supported)"};
    if (bytes.size() >= 2 && byte_at(bytes, 0) == 0xFF && (byte_at(bytes, 1) & 0xF6) == 0xF0) {
        return {"aac", "raw AAC (ADTS), which is not supported"};
    }
    if (starts_with(bytes, "\x1A\x45\xDF\xA3")) return {"webm", "a WebM/Matroska file (not supported)"};
    if (starts_with(bytes, "FORM") && (slice(bytes, 8, 4) == "AIFF" || slice(bytes, 8, 4) == "AIFC")) {
        return {"aiff", "an AIFF file (not supported)"};
    }
    if (starts_with(bytes, "#!AMR")) return {"amr", "an AMR file (not supported)"};
    if (starts_with(bytes, "RIFF")) return {"riff", "a RIFF file that is not WAVE (e.g. AVI or WebP)"};
    return {"unknown", "an unknown format"};
}

std::string hex_prefix(std::string_view bytes) {
    std::string out;
    for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 8); ++i) {
        out += fmt::format("{}{:02x}", i == 0 ? "" : " ", byte_at(bytes, i));
    }
    return out;
}

Error unsupported(std::string_view bytes) {
    const Lookalike other = describe_other(bytes);
    return Error{
        ErrorCode::kUnsupportedMediaType,
        fmt::format("not an audio file we read (WAV, MP3, FLAC, Ogg): the bytes start like {}", other.description),
        {{"detected", std::string(other.kind)}, {"first_bytes", hex_prefix(bytes)}}};
}

// ---- Limits -------------------------------------------------------------------------------------------

// `at_least`: decoding stopped at the limit, so the real length is unknown but no shorter.
Error too_long(double seconds, const DecodeLimits& limits, bool at_least = false) {
    return Error{ErrorCode::kPayloadTooLarge,
                 fmt::format("the audio lasts {}{:.1f} s, longer than the limit of {:.1f} s",
                             at_least ? "more than " : "", seconds, limits.max_seconds),
                 {{"duration_seconds", fmt::format("{:.1f}", seconds)},
                  {"max_seconds", fmt::format("{:.1f}", limits.max_seconds)}}};
}

bool exceeds(double frames, int sample_rate, const DecodeLimits& limits) {
    return frames / sample_rate > limits.max_seconds;
}

std::optional<Error> check_shape(int channels, int sample_rate, std::string_view what) {
    if (channels < 1 || channels > kMaxChannels) {
        return Error{ErrorCode::kUnprocessable,
                     fmt::format("the {} audio has {} channels; 1 to {} are supported", what, channels, kMaxChannels),
                     {{"channels", std::to_string(channels)}}};
    }
    if (sample_rate < kMinSampleRate || sample_rate > kMaxSampleRate) {
        return Error{ErrorCode::kUnprocessable,
                     fmt::format("the {} audio has a sample rate of {} Hz; {} to {} Hz are supported", what,
                                 sample_rate, kMinSampleRate, kMaxSampleRate),
                     {{"sample_rate", std::to_string(sample_rate)}}};
    }
    return std::nullopt;
}

// ---- Headerless audio ---------------------------------------------------------------------------------

core::Result<DecodedAudio> decode_raw(std::string_view bytes, const RawAudioFormat& format,
                                      const DecodeLimits& limits) {
    // The format comes from the request, not from the bytes: a bad one is the caller's mistake.
    if (format.channels < 1 || format.channels > kMaxChannels) {
        return Error::validation(
            "channels", fmt::format("raw audio channels must be 1 to {}, not {}", kMaxChannels, format.channels));
    }
    if (format.sample_rate < kMinSampleRate || format.sample_rate > kMaxSampleRate) {
        return Error::validation("sample_rate", fmt::format("raw audio sample rate must be {} to {} Hz, not {}",
                                                            kMinSampleRate, kMaxSampleRate, format.sample_rate));
    }
    const bool linear = format.encoding == RawEncoding::kLinear16;
    const std::size_t bytes_per_sample = linear ? 2 : 1;
    const char* encoding = linear ? "16-bit PCM" : format.encoding == RawEncoding::kMulaw ? "μ-law" : "A-law";
    if (bytes.size() % bytes_per_sample != 0) {
        return Error{
            ErrorCode::kUnprocessable,
            fmt::format("raw {} audio has an odd number of bytes ({}); each sample takes 2", encoding, bytes.size()),
            {{"bytes", std::to_string(bytes.size())}}};
    }
    const std::size_t samples = bytes.size() / bytes_per_sample;
    const auto channels = static_cast<std::size_t>(format.channels);
    if (samples % channels != 0) {
        return Error{ErrorCode::kUnprocessable,
                     fmt::format("raw {} audio has {} samples, not a whole number of {}-channel frames", encoding,
                                 samples, channels),
                     {{"samples", std::to_string(samples)}}};
    }
    const std::size_t frames = samples / channels;
    const double seconds = static_cast<double>(frames) / format.sample_rate;
    if (exceeds(static_cast<double>(frames), format.sample_rate, limits)) return too_long(seconds, limits);

    DecodedAudio out;
    out.container = "raw";
    out.content_type = linear ? "audio/L16" : format.encoding == RawEncoding::kMulaw ? "audio/PCMU" : "audio/PCMA";
    out.duration = seconds;
    out.pcm.sample_rate = format.sample_rate;
    out.pcm.channels = format.channels;
    out.pcm.samples.resize(samples);
    for (std::size_t i = 0; i < samples; ++i) {
        const auto code = static_cast<std::uint8_t>(bytes[i * bytes_per_sample]);
        switch (format.encoding) {
            case RawEncoding::kMulaw: out.pcm.samples[i] = mulaw_to_linear(code); break;
            case RawEncoding::kAlaw: out.pcm.samples[i] = alaw_to_linear(code); break;
            case RawEncoding::kLinear16: {
                const auto high = static_cast<std::uint8_t>(bytes[i * 2 + 1]);
                out.pcm.samples[i] = static_cast<std::int16_t>(static_cast<std::uint16_t>(code | (high << 8)));
                break;
            }
        }
    }
    return out;
}

// ---- libsndfile over memory ---------------------------------------------------------------------------

struct MemoryFile {
    std::string_view bytes;
    sf_count_t position = 0;
};

MemoryFile& memory(void* user_data) { return *static_cast<MemoryFile*>(user_data); }

sf_count_t memory_length(void* user_data) { return static_cast<sf_count_t>(memory(user_data).bytes.size()); }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user_data) {
    MemoryFile& file = memory(user_data);
    sf_count_t base = 0;
    switch (whence) {
        case SEEK_SET: base = 0; break;
        case SEEK_CUR: base = file.position; break;
        case SEEK_END: base = static_cast<sf_count_t>(file.bytes.size()); break;
        default: return -1;
    }
    // Offsets come from the file's own headers: guard the sum against overflow.
    if ((offset > 0 && base > std::numeric_limits<sf_count_t>::max() - offset) || base + offset < 0) return -1;
    file.position = base + offset;
    return file.position;
}

sf_count_t memory_read(void* destination, sf_count_t count, void* user_data) {
    MemoryFile& file = memory(user_data);
    const auto size = static_cast<sf_count_t>(file.bytes.size());
    if (count <= 0 || file.position >= size) return 0;
    const sf_count_t length = std::min(count, size - file.position);
    std::memcpy(destination, file.bytes.data() + file.position, static_cast<std::size_t>(length));
    file.position += length;
    return length;
}

sf_count_t memory_write(const void*, sf_count_t, void*) { return 0; }  // read-only

sf_count_t memory_tell(void* user_data) { return memory(user_data).position; }

struct SndfileCloser {
    void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

// sf_open_virtual reports a failure to open through a process-wide error slot (sf_strerror(nullptr));
// opening under one lock keeps each caller's message its own.
std::mutex& open_lock() {
    static std::mutex lock;
    return lock;
}

core::Result<DecodedAudio> decode_container(std::string_view bytes, const Container& container,
                                            const DecodeLimits& limits) {
    SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
    MemoryFile file{bytes, 0};
    SF_INFO info{};
    SndfileHandle handle;
    {
        const std::lock_guard<std::mutex> guard(open_lock());
        handle.reset(sf_open_virtual(&io, SFM_READ, &info, &file));
        if (!handle) {
            return Error{ErrorCode::kUnprocessable,
                         fmt::format("the {} audio could not be read: {}", container.label, sf_strerror(nullptr)),
                         {{"container", container.name}}};
        }
    }
    if (auto error = check_shape(info.channels, info.samplerate, container.label)) return *std::move(error);
    // Refuse over-long audio from the declared length before decoding it; the loop below enforces the
    // limit again for files that declare no length or a wrong one.
    const double max_frames = limits.max_seconds * info.samplerate;
    if (info.frames > 0 && info.frames != SF_COUNT_MAX &&
        exceeds(static_cast<double>(info.frames), info.samplerate, limits)) {
        return too_long(static_cast<double>(info.frames) / info.samplerate, limits);
    }
    // Float data (Vorbis, Opus, float WAV) beyond ±1.0 clips instead of wrapping around.
    sf_command(handle.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);

    DecodedAudio out;
    out.container = container.name;
    out.content_type = container.content_type;
    out.pcm.sample_rate = info.samplerate;
    out.pcm.channels = info.channels;
    const auto channels = static_cast<std::size_t>(info.channels);
    constexpr sf_count_t kChunkFrames = 4096;
    std::vector<short> chunk(static_cast<std::size_t>(kChunkFrames) * channels);
    static_assert(sizeof(short) == sizeof(std::int16_t));
    std::size_t frames = 0;
    while (true) {
        const sf_count_t read = sf_readf_short(handle.get(), chunk.data(), kChunkFrames);
        if (read <= 0) break;
        out.pcm.samples.insert(out.pcm.samples.end(), chunk.begin(),
                               chunk.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(read) * channels));
        frames += static_cast<std::size_t>(read);
        if (static_cast<double>(frames) > max_frames) {
            return too_long(static_cast<double>(frames) / info.samplerate, limits, /*at_least=*/true);
        }
    }
    if (frames == 0) {
        std::string message = fmt::format("the {} audio holds no samples", container.label);
        if (sf_error(handle.get()) != SF_ERR_NO_ERROR) message += std::string(": ") + sf_strerror(handle.get());
        return Error{ErrorCode::kUnprocessable, std::move(message), {{"container", container.name}}};
    }
    out.duration = static_cast<double>(frames) / info.samplerate;
    return out;
}

}  // namespace

core::Result<DecodedAudio> SndfileAudioDecoder::decode(std::string_view bytes, const std::optional<RawAudioFormat>& raw,
                                                       const DecodeLimits& limits) const {
    if (bytes.empty()) return Error{ErrorCode::kUnprocessable, "audio is empty", {}};
    try {
        if (raw) return decode_raw(bytes, *raw, limits);
        const std::optional<Container> container = recognise_audio(bytes);
        if (!container) return unsupported(bytes);
        return decode_container(bytes, *container, limits);
    } catch (const std::bad_alloc&) {
        return Error{ErrorCode::kPayloadTooLarge, "the audio is too large to decode in memory", {}};
    }
}

}  // namespace crossvoice::speech
