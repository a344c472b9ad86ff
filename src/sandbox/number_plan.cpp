#include "sandbox/number_plan.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace crossvoice::sandbox {
namespace {

constexpr std::array<std::pair<std::string_view, NumberBehaviour>, 9> kPlan{{
    {"486", NumberBehaviour::kBusy},
    {"408", NumberBehaviour::kNoAnswer},
    {"404", NumberBehaviour::kNotFound},
    {"603", NumberBehaviour::kRejected},
    {"422", NumberBehaviour::kDialInvalid},
    {"429", NumberBehaviour::kDialRateLimited},
    {"500", NumberBehaviour::kDialServerError},
    {"504", NumberBehaviour::kDialStalls},
    {"410", NumberBehaviour::kRecordingGone},
}};

// "+15550100486" -> "+15550100486"; "sip:+15550100486@host;transport=tls" -> "+15550100486".
std::string_view number_part(std::string_view to) {
    if (to.starts_with("sip:")) {
        to.remove_prefix(4);
        to = to.substr(0, to.find_first_of("@;"));
    }
    return to;
}

}  // namespace

NumberBehaviour behaviour_for(std::string_view to) {
    const auto number = number_part(to);
    if (number.size() < 3) return NumberBehaviour::kAnswers;
    const auto suffix = number.substr(number.size() - 3);
    for (const auto& [digits, behaviour] : kPlan) {
        if (digits == suffix) return behaviour;
    }
    return NumberBehaviour::kAnswers;
}

bool fails_dial(NumberBehaviour behaviour) {
    return behaviour == NumberBehaviour::kDialInvalid || behaviour == NumberBehaviour::kDialRateLimited ||
           behaviour == NumberBehaviour::kDialServerError || behaviour == NumberBehaviour::kDialStalls;
}

std::chrono::milliseconds ring_timeout(std::chrono::milliseconds no_answer_after, std::optional<int> timeout_secs) {
    if (!timeout_secs) return no_answer_after;
    return std::min(no_answer_after, std::chrono::milliseconds(std::chrono::seconds(*timeout_secs)));
}

}  // namespace crossvoice::sandbox
