#include "audio_fixtures.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <random>

// libsndfile 1.2 leaks libvorbis's codec setup (allocated in vorbis_info_init, ~6 KB) when it gives up on an
// Ogg Vorbis stream whose headers are corrupt: libsndfile issue #922, open upstream. The hostile-input test
// reaches that path; only that allocation site is excused, so any leak of ours still fails the run.
extern "C" const char* __lsan_default_suppressions() { return "leak:vorbis_info_init\n"; }

namespace crossvoice::speech::testing {

core::PcmAudio tone(int sample_rate, double frequency, double seconds, double amplitude, int channels) {
    core::PcmAudio audio;
    audio.sample_rate = sample_rate;
    audio.channels = channels;
    const auto frames = static_cast<std::size_t>(std::lround(seconds * sample_rate));
    for (std::size_t i = 0; i < frames; ++i) {
        const double value =
            amplitude * 32767.0 * std::sin(2 * std::numbers::pi * frequency * static_cast<double>(i) / sample_rate);
        for (int channel = 0; channel < channels; ++channel) {
            audio.samples.push_back(static_cast<std::int16_t>(std::lround(value)));
        }
    }
    return audio;
}

core::PcmAudio silence(int sample_rate, double seconds) { return tone(sample_rate, 0, seconds, 0); }

core::PcmAudio white_noise(int sample_rate, double seconds, int peak, std::uint32_t seed) {
    core::PcmAudio audio;
    audio.sample_rate = sample_rate;
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> sample(-peak, peak);
    const auto frames = static_cast<std::size_t>(std::lround(seconds * sample_rate));
    for (std::size_t i = 0; i < frames; ++i) audio.samples.push_back(static_cast<std::int16_t>(sample(random)));
    return audio;
}

void append(core::PcmAudio& head, const core::PcmAudio& tail) {
    head.samples.insert(head.samples.end(), tail.samples.begin(), tail.samples.end());
}

std::size_t zero_crossings(const core::PcmAudio& audio, int channel) {
    std::size_t crossings = 0;
    bool have_previous = false;
    bool previous_negative = false;
    const auto channels = static_cast<std::size_t>(audio.channels);
    for (std::size_t frame = 0; frame < audio.frames(); ++frame) {
        const std::int16_t sample = audio.samples[frame * channels + static_cast<std::size_t>(channel)];
        if (sample == 0) continue;  // a zero sits on the axis; the sign change is counted across it
        const bool negative = sample < 0;
        if (have_previous && negative != previous_negative) ++crossings;
        previous_negative = negative;
        have_previous = true;
    }
    return crossings;
}

bool can_write(int format, int sample_rate, int channels) {
    SF_INFO info{};
    info.format = format;
    info.samplerate = sample_rate;
    info.channels = channels;
    return sf_format_check(&info) == SF_TRUE;
}

namespace {

// A growable in-memory file for libsndfile to write into (it seeks back to fill in headers).
struct Sink {
    std::string bytes;
    sf_count_t position = 0;
};

Sink& sink(void* user_data) { return *static_cast<Sink*>(user_data); }

sf_count_t sink_length(void* user_data) { return static_cast<sf_count_t>(sink(user_data).bytes.size()); }

sf_count_t sink_seek(sf_count_t offset, int whence, void* user_data) {
    Sink& file = sink(user_data);
    const sf_count_t base = whence == SEEK_SET   ? 0
                            : whence == SEEK_CUR ? file.position
                                                 : static_cast<sf_count_t>(file.bytes.size());
    if (base + offset < 0) return -1;
    file.position = base + offset;
    return file.position;
}

sf_count_t sink_read(void* destination, sf_count_t count, void* user_data) {
    Sink& file = sink(user_data);
    const auto size = static_cast<sf_count_t>(file.bytes.size());
    if (count <= 0 || file.position >= size) return 0;
    const sf_count_t length = std::min(count, size - file.position);
    std::memcpy(destination, file.bytes.data() + file.position, static_cast<std::size_t>(length));
    file.position += length;
    return length;
}

sf_count_t sink_write(const void* source, sf_count_t count, void* user_data) {
    Sink& file = sink(user_data);
    const auto end = static_cast<std::size_t>(file.position + count);
    if (file.bytes.size() < end) file.bytes.resize(end);
    std::memcpy(file.bytes.data() + file.position, source, static_cast<std::size_t>(count));
    file.position += count;
    return count;
}

sf_count_t sink_tell(void* user_data) { return sink(user_data).position; }

}  // namespace

std::optional<std::string> write_with_sndfile(const core::PcmAudio& audio, int format) {
    SF_VIRTUAL_IO io{sink_length, sink_seek, sink_read, sink_write, sink_tell};
    Sink file;
    SF_INFO info{};
    info.format = format;
    info.samplerate = audio.sample_rate;
    info.channels = audio.channels;
    SNDFILE* handle = sf_open_virtual(&io, SFM_WRITE, &info, &file);
    if (handle == nullptr) return std::nullopt;
    const auto frames = static_cast<sf_count_t>(audio.frames());
    const sf_count_t written = sf_writef_short(handle, audio.samples.data(), frames);
    if (sf_close(handle) != 0 || written != frames) return std::nullopt;
    return file.bytes;
}

std::vector<std::int16_t> read_raw_with_sndfile(const std::string& bytes, int subtype) {
    SF_VIRTUAL_IO io{sink_length, sink_seek, sink_read, sink_write, sink_tell};
    Sink file{bytes, 0};
    SF_INFO info{};
    info.format = SF_FORMAT_RAW | subtype;
    info.samplerate = 8000;
    info.channels = 1;
    SNDFILE* handle = sf_open_virtual(&io, SFM_READ, &info, &file);
    if (handle == nullptr) return {};
    std::vector<std::int16_t> samples(bytes.size());
    const sf_count_t read = sf_readf_short(handle, samples.data(), static_cast<sf_count_t>(samples.size()));
    sf_close(handle);
    samples.resize(static_cast<std::size_t>(std::max<sf_count_t>(0, read)));
    return samples;
}

}  // namespace crossvoice::speech::testing
