#include "assistant/persona_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace crossvoice::assistant {
namespace {

constexpr std::array<std::string_view, 6> kFields{"id", "name", "greeting", "tone", "scope", "topics"};
constexpr std::size_t kMaxText = 1000;
constexpr std::size_t kMaxTopics = 200;

core::Error problem(std::string_view source, const YAML::Node& node, std::string_view message) {
    const auto line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    return core::Error::validation("personas", fmt::format("{}:{}: {}", source, line, message));
}

core::Result<std::string> text(std::string_view source, const YAML::Node& persona, std::string_view field,
                               bool required) {
    const auto value = persona[std::string(field)];
    if (!value) {
        if (required) return problem(source, persona, fmt::format("persona needs '{}'", field));
        return std::string();
    }
    if (!value.IsScalar()) return problem(source, value, fmt::format("'{}' must be text", field));
    std::string out = value.Scalar();
    // A tag with no value (`name: !x`) or `name: ""` is present but says nothing: a persona cannot go by it.
    if (required && out.empty()) return problem(source, value, fmt::format("'{}' must not be empty", field));
    if (out.size() > kMaxText)
        return problem(source, value, fmt::format("'{}' is longer than {} bytes", field, kMaxText));
    return out;
}

std::string lower(std::string value) {
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return value;
}

}  // namespace

core::Result<std::vector<core::Persona>> parse_personas(std::string_view yaml, std::string_view source) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& error) {
        return core::Error::validation("personas", fmt::format("{}:{}: {}", source, error.mark.line + 1, error.msg));
    }
    try {
        if (!root.IsMap() || !root["personas"] || !root["personas"].IsSequence()) {
            return core::Error::validation("personas", fmt::format("{}: expected a 'personas:' list", source));
        }
        std::vector<core::Persona> out;
        for (const auto& node : root["personas"]) {
            if (!node.IsMap()) return problem(source, node, "each persona is a mapping");
            for (const auto& field : node) {
                const auto key = field.first.as<std::string>();
                if (std::find(kFields.begin(), kFields.end(), key) == kFields.end()) {
                    return problem(
                        source, field.first,
                        fmt::format("unknown field '{}' (expected id, name, greeting, tone, scope, topics)", key));
                }
            }
            core::Persona persona;
            for (auto [field, target, required] :
                 {std::tuple{"id", &persona.id, true}, std::tuple{"name", &persona.name, true},
                  std::tuple{"greeting", &persona.greeting, true}, std::tuple{"tone", &persona.tone, false},
                  std::tuple{"scope", &persona.scope, false}}) {
                auto value = text(source, node, field, required);
                if (!value) return std::move(value).error();
                *target = std::move(value).value();
            }
            if (const auto topics = node["topics"]) {
                if (!topics.IsSequence()) return problem(source, topics, "'topics' must be a list of words or phrases");
                if (topics.size() > kMaxTopics) return problem(source, topics, "too many topics");
                for (const auto& topic : topics) {
                    if (!topic.IsScalar() || topic.Scalar().empty() || topic.Scalar().size() > 100) {
                        return problem(source, topic, "a topic is a word or phrase of 1 to 100 bytes");
                    }
                    persona.topics.push_back(lower(topic.Scalar()));
                }
            }
            out.push_back(std::move(persona));
        }
        return out;
    } catch (const YAML::Exception& error) {
        return core::Error::validation("personas", fmt::format("{}:{}: {}", source, error.mark.line + 1, error.msg));
    }
}

}  // namespace crossvoice::assistant
