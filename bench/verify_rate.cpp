// The ceiling for bench/webhook_ingest.sh: how many Ed25519 signatures libsodium verifies per second on one
// core (crypto_sign_verify_detached, which crossvoice calls once per webhook), over messages of the size of
// the signed webhook message "<timestamp>|<raw body>". Google Benchmark; items_per_second is the rate.
//
//   verify_rate [--message-bytes=N] [Google Benchmark flags, e.g. --benchmark_format=json]
//
// --message-bytes defaults to 587, the mean size of the messages bench/webhook/make_events.js signs; the
// script passes the size it measured. Pin it to one core (taskset -c 0) for a one-core figure.

#include <sodium.h>

#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

void verify_detached(benchmark::State& state) {
    const auto size = static_cast<std::size_t>(state.range(0));
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key{};
    crypto_sign_keypair(public_key.data(), secret_key.data());
    std::vector<unsigned char> message(size);
    randombytes_buf(message.data(), message.size());
    std::array<unsigned char, crypto_sign_BYTES> signature{};
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_key.data());

    for (auto _ : state) {
        const int rc = crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data());
        benchmark::DoNotOptimize(rc);
        if (rc != 0) {
            state.SkipWithError("a valid signature failed to verify");
            break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(size));
}

}  // namespace

int main(int argc, char** argv) {
    if (sodium_init() < 0) {
        std::fputs("verify_rate: sodium_init failed\n", stderr);
        return 1;
    }
    long message_bytes = 587;
    std::vector<char*> rest;  // the arguments left for Google Benchmark
    for (int i = 0; i < argc; ++i) {
        constexpr std::string_view flag = "--message-bytes=";
        const std::string_view arg(argv[i]);
        if (i > 0 && arg.substr(0, flag.size()) == flag) {
            char* end = nullptr;
            const std::string value(arg.substr(flag.size()));
            message_bytes = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || message_bytes < 1 || message_bytes > (1L << 24)) {
                std::fprintf(stderr, "verify_rate: bad --message-bytes '%s'\n", value.c_str());
                return 2;
            }
            continue;
        }
        rest.push_back(argv[i]);
    }
    rest.push_back(nullptr);
    int rest_argc = static_cast<int>(rest.size()) - 1;

    benchmark::RegisterBenchmark("crypto_sign_verify_detached", verify_detached)
        ->Arg(message_bytes)
        ->MinTime(1.0)
        ->Repetitions(3)
        ->ReportAggregatesOnly(true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::Initialize(&rest_argc, rest.data());
    if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 2;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
