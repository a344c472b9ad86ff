// The local speech-to-text engine's accuracy and speed (bench/stt_local.sh): every file of pocketsphinx-testdata's
// LibriVox set through PocketsphinxRecognizer (decode, resample, voice activity, one utterance per region), on
// this one thread, against the reference transcription; and in the same run the peer: the same files through a
// bare PocketSphinx decoder with its default settings and the same model, the whole file as one utterance
// (ps_process_raw), as anyone embedding PocketSphinx would. Prints a table, then one machine-readable line:
//   RESULT files=5 words=… audio_s=… errors=… wer=… rtf=… wall_rtf=… raw_errors=… raw_wer=… raw_rtf=… load_s=…
// rtf is thread CPU time over audio time (CLOCK_THREAD_CPUTIME_ID), wall_rtf the same with wall-clock time.
//
// Usage: stt_local [--data DIR] [--model DIR] [--peer-arg ARG]...
//   --data      the LibriVox directory (fileids, transcription, *.wav); default the pocketsphinx-testdata one
//   --model     the en-US model directory; default the pocketsphinx-en-us one
//   --peer-arg  a PocketSphinx option for the peer decoder, repeated: --peer-arg -remove_silence --peer-arg no

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "speech/audio_decoder.hpp"
#include "speech/pocketsphinx_recognizer.hpp"

// The few PocketSphinx 5prealpha calls the peer needs, declared here: cv_speech keeps PocketSphinx's include
// directories to itself (Debian's sphinxbase.pc names one that does not exist), but links the libraries for us.
extern "C" {
struct cmd_ln_s;
struct ps_decoder_s;
struct arg_s;
const arg_s* ps_args(void);
cmd_ln_s* cmd_ln_parse_r(cmd_ln_s* inout_cmdln, const arg_s* defn, std::int32_t argc, char* argv[],
                         std::int32_t strict);
int cmd_ln_free_r(cmd_ln_s* cmdln);
ps_decoder_s* ps_init(cmd_ln_s* config);
int ps_free(ps_decoder_s* ps);
int ps_start_utt(ps_decoder_s* ps);
int ps_process_raw(ps_decoder_s* ps, const std::int16_t* data, std::size_t n_samples, int no_search, int full_utt);
int ps_end_utt(ps_decoder_s* ps);
const char* ps_get_hyp(ps_decoder_s* ps, std::int32_t* out_best_score);
void err_set_logfp(std::FILE* stream);
}

namespace {

using crossvoice::speech::PocketsphinxRecognizer;
using crossvoice::speech::SndfileAudioDecoder;

struct Clock {
    double cpu = 0;   // this thread's CPU seconds
    double wall = 0;  // monotonic seconds

    static Clock now() {
        timespec cpu{};
        timespec wall{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
        clock_gettime(CLOCK_MONOTONIC, &wall);
        return {static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) * 1e-9,
                static_cast<double>(wall.tv_sec) + static_cast<double>(wall.tv_nsec) * 1e-9};
    }
    Clock operator-(const Clock& other) const { return {cpu - other.cpu, wall - other.wall}; }
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> split_words(std::string_view text) {
    std::istringstream in{std::string(text)};
    return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

// Substitutions + deletions + insertions (word-level edit distance).
std::size_t word_errors(const std::vector<std::string>& reference, const std::vector<std::string>& hypothesis) {
    std::vector<std::size_t> previous(hypothesis.size() + 1);
    std::vector<std::size_t> current(hypothesis.size() + 1);
    for (std::size_t j = 0; j <= hypothesis.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= reference.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= hypothesis.size(); ++j) {
            const std::size_t substitute = previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1);
            current[j] = std::min({substitute, previous[j] + 1, current[j - 1] + 1});
        }
        std::swap(previous, current);
    }
    return previous[hypothesis.size()];
}

struct Sample {
    std::string id;
    std::vector<std::string> reference;
};

// fileids lists the ids; transcription has "<s> words </s> (id)" per line.
std::vector<Sample> read_corpus(const std::string& dir) {
    std::vector<Sample> samples;
    for (const std::string& id : split_words(read_file(dir + "/fileids"))) samples.push_back({id, {}});
    std::istringstream lines(read_file(dir + "/transcription"));
    for (std::string line; std::getline(lines, line);) {
        const auto open = line.rfind('(');
        const auto close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos || close < open) continue;
        const std::string id = line.substr(open + 1, close - open - 1);
        for (Sample& sample : samples) {
            if (sample.id != id) continue;
            for (std::string& word : split_words(line.substr(0, open))) {
                if (word != "<s>" && word != "</s>") sample.reference.push_back(std::move(word));
            }
        }
    }
    return samples;
}

struct Run {
    std::size_t errors = 0;
    Clock spent;
    std::string text;
    bool failed = false;
};

// The peer: a bare decoder, PocketSphinx's defaults (plus any --peer-arg), the whole file as one utterance.
class RawDecoder {
  public:
    RawDecoder(const std::string& model, const std::vector<std::string>& extra) {
        std::vector<std::string> args = {"stt_local",
                                         "-hmm",
                                         model + "/en-us",
                                         "-lm",
                                         model + "/en-us.lm.bin",
                                         "-dict",
                                         model + "/cmudict-en-us.dict"};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (std::string& arg : args) argv.push_back(arg.data());
        config_ = cmd_ln_parse_r(nullptr, ps_args(), static_cast<std::int32_t>(argv.size()), argv.data(), 1);
        if (config_ != nullptr) ps_ = ps_init(config_);
    }
    ~RawDecoder() {
        if (ps_ != nullptr) ps_free(ps_);
        if (config_ != nullptr) cmd_ln_free_r(config_);
    }
    RawDecoder(const RawDecoder&) = delete;
    RawDecoder& operator=(const RawDecoder&) = delete;

    bool ok() const { return ps_ != nullptr; }

    std::string decode(const std::vector<std::int16_t>& samples) {
        if (ps_start_utt(ps_) < 0) return "<start failed>";
        ps_process_raw(ps_, samples.data(), samples.size(), 0, 1);
        ps_end_utt(ps_);
        std::int32_t score = 0;
        const char* hyp = ps_get_hyp(ps_, &score);
        return hyp == nullptr ? std::string() : std::string(hyp);
    }

  private:
    cmd_ln_s* config_ = nullptr;
    ps_decoder_s* ps_ = nullptr;
};

double ratio(double a, double b) { return b > 0 ? a / b : 0; }

}  // namespace

int main(int argc, char** argv) {
    std::string data = "/usr/share/pocketsphinx/test/data/librivox";
    std::string model = "/usr/share/pocketsphinx/model/en-us";
    std::vector<std::string> peer_args;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if ((arg == "--data" || arg == "--model") && i + 1 < argc) {
            (arg == "--data" ? data : model) = argv[++i];
        } else if (arg == "--peer-arg" && i + 1 < argc) {
            peer_args.emplace_back(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: stt_local [--data DIR] [--model DIR] [--peer-arg ARG]...\n");
            return 2;
        }
    }

    const std::vector<Sample> corpus = read_corpus(data);
    if (corpus.empty()) {
        std::fprintf(stderr, "stt_local: no files listed in %s/fileids (apt-get install pocketsphinx-testdata)\n",
                     data.c_str());
        return 1;
    }

    const SndfileAudioDecoder audio_decoder;
    const Clock load_start = Clock::now();
    auto created = PocketsphinxRecognizer::create(audio_decoder, {.model_dir = model});
    const Clock load = Clock::now() - load_start;
    if (!created) {
        std::fprintf(stderr, "stt_local: %s\n", created.error().message.c_str());
        return 1;
    }
    PocketsphinxRecognizer& recognizer = **created;
    err_set_logfp(nullptr);  // the recognizer has silenced PocketSphinx already; the peer shares the setting
    RawDecoder raw(model, peer_args);
    if (!raw.ok()) {
        std::fprintf(stderr, "stt_local: the bare PocketSphinx decoder did not load from %s\n", model.c_str());
        return 1;
    }

    std::printf("%-44s %5s %6s %7s %7s %7s %7s %6s | %6s %7s %7s %6s\n", "file", "words", "errors", "WER%", "audio_s",
                "cpu_s", "wall_s", "rtf", "raw_er", "raw_WER", "raw_cpu", "raw_rt");
    std::size_t words = 0;
    std::size_t errors = 0;
    std::size_t raw_errors = 0;
    double audio_seconds = 0;
    Clock ours_total;
    Clock raw_total;
    bool failed = false;
    for (const Sample& sample : corpus) {
        crossvoice::core::ports::SttRequest request;
        request.audio = read_file(data + "/" + sample.id + ".wav");
        request.content_type = "audio/wav";

        // Ours: everything a request costs, from the file's bytes to the transcript.
        const Clock start = Clock::now();
        auto transcript = recognizer.transcribe(request);
        Run ours;
        ours.spent = Clock::now() - start;
        if (!transcript) {
            std::fprintf(stderr, "stt_local: %s: %s\n", sample.id.c_str(), transcript.error().message.c_str());
            failed = true;
            continue;
        }
        ours.text = transcript->text;
        ours.errors = word_errors(sample.reference, split_words(ours.text));

        // The peer: its samples decoded outside the timing (PocketSphinx reads raw samples, not files).
        auto pcm = audio_decoder.decode(request.audio, std::nullopt, {});
        if (!pcm || pcm->pcm.sample_rate != 16'000 || pcm->pcm.channels != 1) {
            std::fprintf(stderr, "stt_local: %s is not 16 kHz mono; the bare decoder cannot take it\n",
                         sample.id.c_str());
            failed = true;
            continue;
        }
        const Clock raw_start = Clock::now();
        Run peer;
        peer.text = raw.decode(pcm->pcm.samples);
        peer.spent = Clock::now() - raw_start;
        peer.errors = word_errors(sample.reference, split_words(peer.text));

        const double seconds = transcript->duration;
        std::printf("%-44s %5zu %6zu %7.1f %7.2f %7.2f %7.2f %6.3f | %6zu %7.1f %7.2f %6.3f\n", sample.id.c_str(),
                    sample.reference.size(), ours.errors, 100 * ratio(ours.errors, sample.reference.size()), seconds,
                    ours.spent.cpu, ours.spent.wall, ratio(ours.spent.cpu, seconds), peer.errors,
                    100 * ratio(peer.errors, sample.reference.size()), peer.spent.cpu, ratio(peer.spent.cpu, seconds));
        std::printf("#   ours: %s\n#   bare: %s\n", ours.text.c_str(), peer.text.c_str());
        words += sample.reference.size();
        errors += ours.errors;
        raw_errors += peer.errors;
        audio_seconds += seconds;
        ours_total.cpu += ours.spent.cpu;
        ours_total.wall += ours.spent.wall;
        raw_total.cpu += peer.spent.cpu;
        raw_total.wall += peer.spent.wall;
    }
    std::printf("%-44s %5zu %6zu %7.1f %7.2f %7.2f %7.2f %6.3f | %6zu %7.1f %7.2f %6.3f\n", "TOTAL", words, errors,
                100 * ratio(errors, words), audio_seconds, ours_total.cpu, ours_total.wall,
                ratio(ours_total.cpu, audio_seconds), raw_errors, 100 * ratio(raw_errors, words), raw_total.cpu,
                ratio(raw_total.cpu, audio_seconds));
    std::printf(
        "RESULT files=%zu words=%zu audio_s=%.2f errors=%zu wer=%.4f rtf=%.4f wall_rtf=%.4f cpu_s=%.3f "
        "wall_s=%.3f raw_errors=%zu raw_wer=%.4f raw_rtf=%.4f raw_wall_rtf=%.4f raw_cpu_s=%.3f "
        "raw_wall_s=%.3f load_s=%.3f\n",
        corpus.size(), words, audio_seconds, errors, ratio(errors, words), ratio(ours_total.cpu, audio_seconds),
        ratio(ours_total.wall, audio_seconds), ours_total.cpu, ours_total.wall, raw_errors, ratio(raw_errors, words),
        ratio(raw_total.cpu, audio_seconds), ratio(raw_total.wall, audio_seconds), raw_total.cpu, raw_total.wall,
        load.wall);
    return failed ? 3 : 0;
}
