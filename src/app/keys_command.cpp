#include "app/keys_command.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "app/cli_audit.hpp"
#include "app/runtime.hpp"
#include "core/time_format.hpp"

namespace crossvoice::app {
namespace {

int fail(const core::Error& error) {
    fmt::print(stderr, "crossvoice: {}\n", error.message);
    return error.code == core::ErrorCode::kNotFound || error.code == core::ErrorCode::kValidation ? 2 : 1;
}

core::Result<core::Platform> platform_named(const std::string& name) {
    if (auto platform = core::parse_platform(name)) return *platform;
    return core::Error::validation("platform", fmt::format("unknown platform '{}'; use tetrix or joromi", name));
}

}  // namespace

int keys_create(const Config& config, const std::string& platform_name, const std::string& name) {
    auto platform = platform_named(platform_name);
    if (!platform) return fail(platform.error());
    auto runtime = Runtime::open(config);
    if (!runtime) return fail(runtime.error());
    auto created = (*runtime)->keys().create(*platform, name);
    if (!created) return fail(created.error());
    audit_cli_change(**runtime, *platform, "api_key.create", "api_key:" + created->key.id, "success");
    fmt::print("created key {} for {} named '{}'\n", created->key.id, core::to_string(*platform), created->key.name);
    fmt::print("the key is shown once; store it now:\n{}\n", created->secret);
    return 0;
}

int keys_list(const Config& config, const std::optional<std::string>& platform_name) {
    std::optional<core::Platform> platform;
    if (platform_name) {
        auto parsed = platform_named(*platform_name);
        if (!parsed) return fail(parsed.error());
        platform = *parsed;
    }
    auto runtime = Runtime::open(config);
    if (!runtime) return fail(runtime.error());
    auto keys = (*runtime)->keys().list(platform);
    if (!keys) return fail(keys.error());
    fmt::print("{:<30} {:<8} {:<8} {:<26} {:<26} {}\n", "ID", "PLATFORM", "ENDS", "CREATED", "REVOKED", "NAME");
    for (const auto& key : *keys) {
        fmt::print("{:<30} {:<8} …{:<7} {:<26} {:<26} {}\n", key.id, core::to_string(key.platform), key.hint,
                   core::format_rfc3339(key.created_at), key.revoked_at ? core::format_rfc3339(*key.revoked_at) : "-",
                   key.name);
    }
    return 0;
}

int keys_revoke(const Config& config, const std::string& id) {
    auto runtime = Runtime::open(config);
    if (!runtime) return fail(runtime.error());
    auto revoked = (*runtime)->keys().revoke(id);
    if (!revoked) return fail(revoked.error());
    audit_cli_change(**runtime, revoked->platform, "api_key.revoke", "api_key:" + id, "success");
    fmt::print("revoked key {} ({})\n", id, core::to_string(revoked->platform));
    return 0;
}

}  // namespace crossvoice::app
