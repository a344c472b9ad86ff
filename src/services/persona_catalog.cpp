#include "services/persona_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>

namespace crossvoice::services {

core::Result<PersonaCatalog> PersonaCatalog::create(std::map<core::Platform, std::vector<core::Persona>> personas) {
    for (const auto platform : core::kAllPlatforms) {
        const auto name = core::to_string(platform);
        const auto it = personas.find(platform);
        if (it == personas.end()) {
            return core::Error::validation("personas", fmt::format("no SHANGO personas for {}", name));
        }
        std::set<std::string> seen;
        for (const auto& persona : it->second) {
            const bool known =
                std::find(std::begin(kPersonaIds), std::end(kPersonaIds), persona.id) != std::end(kPersonaIds);
            if (!known) {
                return core::Error::validation("personas",
                                               fmt::format("{}: unknown persona '{}' (expected one of shango-general, "
                                                           "shango-technical, shango-sales, shango-billing)",
                                                           name, persona.id));
            }
            if (!seen.insert(persona.id).second) {
                return core::Error::validation("personas",
                                               fmt::format("{}: persona '{}' is defined twice", name, persona.id));
            }
            if (persona.greeting.empty() || persona.name.empty()) {
                return core::Error::validation(
                    "personas", fmt::format("{}: persona '{}' needs a name and a greeting", name, persona.id));
            }
        }
        for (const auto id : kPersonaIds) {
            if (!seen.contains(std::string(id))) {
                return core::Error::validation("personas", fmt::format("{}: persona '{}' is missing", name, id));
            }
        }
    }
    return PersonaCatalog(std::move(personas));
}

const std::vector<core::Persona>& PersonaCatalog::personas(core::Platform platform) const {
    return personas_.at(platform);
}

const core::Persona& PersonaCatalog::find(core::Platform platform, std::string_view id) const {
    const auto& list = personas_.at(platform);
    for (const auto& persona : list) {
        if (persona.id == id) return persona;
    }
    for (const auto& persona : list) {
        if (persona.id == kDefaultPersona) return persona;
    }
    return list.front();
}

bool PersonaCatalog::has(core::Platform platform, std::string_view id) const {
    const auto& list = personas_.at(platform);
    return std::any_of(list.begin(), list.end(), [&](const core::Persona& persona) { return persona.id == id; });
}

}  // namespace crossvoice::services
