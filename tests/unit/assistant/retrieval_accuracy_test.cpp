// Retrieval accuracy on the shipped knowledge bases (config/knowledge/<platform>/*.md), and the knowledge-base
// responder's confidence, on held-out questions (tests/fixtures/knowledge/<platform>-heldout.tsv, "question<TAB>
// expected passage id"): written by someone who saw only the documents, and never used to tune the ranking, the
// synonyms or the documents' example questions ("<!-- ask: ... -->", which came from an earlier question set
// now folded into the documents). And off-topic questions, which must be handed over. Prints the accuracies and
// every miss.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "assistant/fts5_knowledge_index.hpp"
#include "assistant/knowledge_responder.hpp"
#include "assistant/markdown_sections.hpp"

namespace crossvoice::assistant {
namespace {

namespace fs = std::filesystem;
using core::Platform;

struct Question {
    std::string text;
    std::string expected;
};

const fs::path kSource = CROSSVOICE_SOURCE_DIR;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<core::KnowledgeDocument> shipped_documents(Platform platform) {
    std::vector<core::KnowledgeDocument> documents;
    const fs::path dir = kSource / "config" / "knowledge" / std::string(core::to_string(platform));
    if (!fs::is_directory(dir)) return documents;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".md") continue;
        core::KnowledgeDocument document;
        document.platform = platform;
        document.name = entry.path().stem().string();
        document.markdown = read_file(entry.path());
        document.origin = "file";
        documents.push_back(std::move(document));
    }
    std::sort(documents.begin(), documents.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return documents;
}

std::vector<Question> question_set(Platform platform, std::string_view set) {
    std::vector<Question> questions;
    std::ifstream in(kSource / "tests" / "fixtures" / "knowledge" /
                     (std::string(core::to_string(platform)) + "-" + std::string(set) + ".tsv"));
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto tab = line.find('\t');
        if (line.empty() || line.front() == '#' || tab == std::string::npos) continue;
        questions.push_back(Question{line.substr(0, tab), line.substr(tab + 1)});
    }
    return questions;
}

// Questions no knowledge base of ours answers; SHANGO must hand them over instead of answering.
const std::vector<std::string> kOffTopic = {
    "what's the weather on Mars",
    "tell me a joke about cats",
    "who won the football match",
    "what is the capital of Australia",
    "can you recommend a good pizza place nearby",
    "how tall is the Eiffel Tower",
    "sing me a song about the ocean",
    "what's the best recipe for chocolate cake",
    "who is going to win the election",
    "how many legs does a spider have",
    "translate hello into Japanese poetry",
    "what time does the zoo open on Sunday",
};

void measure(Fts5KnowledgeIndex& index, Platform platform, std::string_view set) {
    const auto documents = shipped_documents(platform);
    const auto questions = question_set(platform, set);
    ASSERT_FALSE(documents.empty()) << "no knowledge documents under config/knowledge/" << core::to_string(platform);
    ASSERT_FALSE(questions.empty()) << "no " << set << " questions for " << core::to_string(platform);

    std::set<std::string> indexed;
    for (const auto& document : documents) {
        for (const auto& passage : split_markdown(document.name, document.markdown)) indexed.insert(passage.id);
    }
    std::size_t top1 = 0;
    std::size_t top3 = 0;
    std::size_t confident = 0;
    for (const auto& question : questions) {
        EXPECT_TRUE(indexed.count(question.expected) == 1) << "expected passage does not exist: " << question.expected;
        auto found = index.search(platform, question.text, 3);
        ASSERT_TRUE(found) << found.error().message;
        const auto hit = std::find_if(found->begin(), found->end(),
                                      [&](const auto& passage) { return passage.id == question.expected; });
        if (hit == found->begin() && !found->empty()) ++top1;
        if (hit != found->end()) ++top3;
        if (found->empty() || found->front().id != question.expected) {
            std::cout << "  miss: " << question.text << " → " << (found->empty() ? "(nothing)" : found->front().id)
                      << " (expected " << question.expected << (hit != found->end() ? ", in top 3" : "") << ")\n";
        }
        const double confidence = KnowledgeResponder::confidence(question.text, *found);
        if (confidence >= KnowledgeResponderOptions{}.handoff_below) {
            ++confident;
        } else {
            std::cout << "  low confidence " << confidence << ": " << question.text << "\n";
        }
    }
    const double n = static_cast<double>(questions.size());
    std::cout << core::to_string(platform) << " " << set << ": " << questions.size() << " questions, top-1 "
              << 100.0 * top1 / n << " %, top-3 " << 100.0 * top3 / n << " %, confident " << 100.0 * confident / n
              << " %\n";
    EXPECT_GE(top1 / n, 0.80);
    // Answered rather than handed to a person: the rest of the on-topic questions are handed over, which costs a
    // person's time but never gives a wrong answer; measured 78 % (TETRIX) and 84 % (JoRoMi) when this was written.
    EXPECT_GE(confident / n, 0.75);
}

class RetrievalAccuracy : public ::testing::TestWithParam<Platform> {
  protected:
    static void SetUpTestSuite() {
        index_ = new Fts5KnowledgeIndex(":memory:");
        std::vector<core::KnowledgeDocument> all;
        for (const Platform platform : core::kAllPlatforms) {
            auto documents = shipped_documents(platform);
            all.insert(all.end(), documents.begin(), documents.end());
        }
        auto stats = index_->rebuild(all);
        ASSERT_TRUE(stats) << stats.error().message;
    }
    static void TearDownTestSuite() {
        delete index_;
        index_ = nullptr;
    }
    static Fts5KnowledgeIndex* index_;
};

Fts5KnowledgeIndex* RetrievalAccuracy::index_ = nullptr;

TEST_P(RetrievalAccuracy, HeldOutQuestionsFindTheirPassage) { measure(*index_, GetParam(), "heldout"); }

TEST_P(RetrievalAccuracy, OffTopicQuestionsAreHandedOver) {
    const Platform platform = GetParam();
    ASSERT_FALSE(shipped_documents(platform).empty());
    KnowledgeResponder responder;
    std::size_t handed_over = 0;
    for (const auto& question : kOffTopic) {
        core::AssistantRequest request;
        request.platform = platform;
        request.channel = core::Channel::kVoice;
        request.utterance = question;
        auto found = index_->search(platform, question, 4);
        ASSERT_TRUE(found) << found.error().message;
        request.passages = std::move(found).value();
        auto reply = responder.respond(request);
        ASSERT_TRUE(reply);
        if (reply->handoff == core::Handoff::kAgent) {
            ++handed_over;
        } else {
            std::cout << "  answered off-topic (" << reply->confidence << "): " << question << " → "
                      << reply->sources.front() << "\n";
        }
    }
    std::cout << core::to_string(platform) << ": " << handed_over << " of " << kOffTopic.size()
              << " off-topic questions handed over\n";
    EXPECT_GE(handed_over, kOffTopic.size() - 2);
}

std::string platform_name(const ::testing::TestParamInfo<Platform>& param) {
    return std::string(core::to_string(param.param));
}

INSTANTIATE_TEST_SUITE_P(Platforms, RetrievalAccuracy, ::testing::Values(Platform::kTetrix, Platform::kJoromi),
                         platform_name);

}  // namespace
}  // namespace crossvoice::assistant
