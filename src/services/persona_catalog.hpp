#pragma once

#include <map>
#include <string_view>
#include <vector>

#include "core/assistant.hpp"
#include "core/result.hpp"

namespace crossvoice::services {

// The four SHANGO personas every platform defines (config/assistant/<platform>.yaml).
inline constexpr std::string_view kPersonaIds[] = {"shango-general", "shango-technical", "shango-sales",
                                                   "shango-billing"};
inline constexpr std::string_view kDefaultPersona = "shango-general";

// Each platform's SHANGO personas, checked once at start.
class PersonaCatalog {
  public:
    // kValidation naming the platform and persona when one of the four is missing, defined twice, unknown, or
    // without a greeting.
    static core::Result<PersonaCatalog> create(std::map<core::Platform, std::vector<core::Persona>> personas);

    const std::vector<core::Persona>& personas(core::Platform platform) const;
    // The persona by id; the general persona when the id is not one of the platform's.
    const core::Persona& find(core::Platform platform, std::string_view id) const;
    bool has(core::Platform platform, std::string_view id) const;

  private:
    explicit PersonaCatalog(std::map<core::Platform, std::vector<core::Persona>> personas)
        : personas_(std::move(personas)) {}
    std::map<core::Platform, std::vector<core::Persona>> personas_;
};

}  // namespace crossvoice::services
