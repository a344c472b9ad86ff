#pragma once

#include <optional>
#include <string>

#include "app/config.hpp"

namespace crossvoice::app {

int keys_create(const Config& config, const std::string& platform, const std::string& name);
int keys_list(const Config& config, const std::optional<std::string>& platform);
int keys_revoke(const Config& config, const std::string& id);

}  // namespace crossvoice::app
