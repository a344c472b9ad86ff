#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/ports/assistant_responder.hpp"

namespace crossvoice::assistant {

struct KnowledgeResponderOptions {
    double handoff_below = 0.35;       // confidence under which SHANGO hands the conversation to a person
    std::size_t voice_sentences = 2;   // sentences of a spoken answer
    std::size_t chat_sentences = 4;    // sentences of a written answer
    std::size_t voice_max_words = 45;  // a spoken answer longer than this is cut at a sentence boundary
};

// SHANGO without a language model: answers with the sentences of the best retrieved passage that match the
// caller's words, or hands over to a person when the passages do not cover the question. Deterministic, fast and
// thread-safe (no state); never fails on a well-formed request, which makes it the fallback of every other
// responder.
class KnowledgeResponder final : public core::ports::AssistantResponder {
  public:
    explicit KnowledgeResponder(KnowledgeResponderOptions options = {});

    std::string_view name() const override { return "knowledge-base"; }
    core::Result<core::AssistantReply> respond(const core::AssistantRequest& request) override;

    // The confidence respond() reports for this utterance and these passages (best first), in [0, 1].
    static double confidence(std::string_view utterance, const std::vector<core::KnowledgePassage>& passages);

  private:
    KnowledgeResponderOptions options_;
};

// What SHANGO says when it hands over.
inline constexpr std::string_view kVoiceHandoffText =
    "I'm not sure I can answer that well, so I'll connect you with a person who can help.";
inline constexpr std::string_view kChatHandoffText =
    "I'm not sure I can answer that well, so a member of our team will reply here shortly.";

}  // namespace crossvoice::assistant
