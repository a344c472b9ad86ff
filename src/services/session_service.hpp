#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api_key.hpp"
#include "core/ports/session_store.hpp"
#include "core/result.hpp"
#include "core/session.hpp"
#include "services/id_generator.hpp"

namespace crossvoice::services {

struct NewSession {
    std::string channel;
    std::optional<std::string> phone_number;
    std::optional<std::string> user_id;
    std::string metadata_json = "{}";  // already checked to be a JSON object by the caller
};

struct SessionFilter {
    std::optional<std::string> status;
    std::optional<std::string> channel;
    int limit = 50;
    std::optional<std::string> cursor;
};

struct SessionPage {
    std::vector<core::Session> sessions;
    std::optional<std::string> next_cursor;
};

// Opening, reading, listing and ending sessions, each scoped to the caller's platform.
class SessionService {
  public:
    SessionService(core::ports::SessionStore& store, const core::Clock& clock, IdGenerator& ids)
        : store_(store), clock_(clock), ids_(ids) {}

    core::Result<core::Session> open(const core::Principal& caller, NewSession input);
    core::Result<core::Session> get(const core::Principal& caller, const std::string& id);
    core::Result<SessionPage> list(const core::Principal& caller, const SessionFilter& filter);
    core::Result<core::Session> end(const core::Principal& caller, const std::string& id);

    static constexpr int kMaxPageSize = 200;
    static constexpr std::size_t kMaxUserIdLength = 200;
    static constexpr std::size_t kMaxMetadataBytes = 16 * 1024;

  private:
    core::ports::SessionStore& store_;
    const core::Clock& clock_;
    IdGenerator& ids_;
};

}  // namespace crossvoice::services
