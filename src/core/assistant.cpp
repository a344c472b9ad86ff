#include "core/assistant.hpp"

#include "core/enum_names.hpp"

namespace crossvoice::core {
namespace {

constexpr EnumNames<Handoff, 3> kHandoffs{{
    {Handoff::kNone, "none"},
    {Handoff::kAgent, "agent"},
    {Handoff::kChat, "chat"},
}};

}  // namespace

std::string_view to_string(Handoff handoff) { return name_of(kHandoffs, handoff); }
std::optional<Handoff> parse_handoff(std::string_view text) { return value_of(kHandoffs, text); }

}  // namespace crossvoice::core
