#include "observability/logging.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>

namespace crossvoice::observability {
namespace {

std::mutex g_create_mutex;

}  // namespace

void init_logging(std::string_view level) {
    spdlog::set_level(spdlog::level::from_str(std::string(level)));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ [%n] %v", spdlog::pattern_time_type::utc);
    spdlog::flush_on(spdlog::level::warn);
    // The access log writes a line per request from the I/O threads: hand the write to spdlog's own
    // thread through a bounded queue, and drop the oldest lines rather than stall a socket when it is full.
    std::lock_guard lock(g_create_mutex);
    if (!spdlog::get("access")) {
        spdlog::init_thread_pool(16384, 1);
        auto access = spdlog::create_async_nb<spdlog::sinks::stderr_sink_mt>("access");
        access->set_level(spdlog::get_level());
    }
}

void shutdown_logging() { spdlog::shutdown(); }

std::shared_ptr<spdlog::logger> logger(std::string_view module) {
    const std::string name(module);
    if (auto existing = spdlog::get(name)) return existing;
    std::lock_guard lock(g_create_mutex);  // only on first use of a module's logger
    if (auto existing = spdlog::get(name)) return existing;
    auto created = spdlog::stderr_logger_mt(name);
    created->set_level(spdlog::get_level());
    return created;
}

}  // namespace crossvoice::observability
