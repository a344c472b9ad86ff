#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/ports/http_client.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

struct FetchedAudio {
    std::string bytes;
    std::string content_type;  // as the server named it
};

struct AudioFetchLimits {
    std::size_t max_bytes = 100 * 1024 * 1024;
    std::chrono::milliseconds timeout{120'000};
    std::size_t min_bytes_per_second = 16 * 1024;  // slower than this for 10 s: a stalled or hostile server
    // URLs under these prefixes may be on loopback or a private network: the sandbox carrier's own recordings.
    std::vector<std::string> trusted_prefixes;
};

// Fetches audio from a URL a client gave us, as an outsider's URL deserves: http(s) only, no private, loopback
// or reserved addresses (checked on the connected address), a size cap, a deadline and a speed floor.
// Errors name `field`: kValidation (scheme, address, an answer other than 200), kPayloadTooLarge, kTimeout.
class AudioFetcher {
  public:
    AudioFetcher(core::ports::HttpClient& http, AudioFetchLimits limits) : http_(http), limits_(std::move(limits)) {}
    core::Result<FetchedAudio> fetch(const std::string& url, const std::string& field) const;
    void trust_prefix(std::string prefix) { limits_.trusted_prefixes.push_back(std::move(prefix)); }

  private:
    core::ports::HttpClient& http_;
    AudioFetchLimits limits_;
};

}  // namespace crossvoice::services
