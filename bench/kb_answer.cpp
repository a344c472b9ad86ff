// SHANGO's knowledge-base path, measured: the shipped knowledge bases (config/knowledge/<platform>/*.md) indexed in
// memory, then every held-out question (tests/fixtures/knowledge/<platform>-heldout.tsv) of both platforms through
// search (limit 4) and KnowledgeResponder::respond on the voice channel, ROUNDS times. Prints p50, p99 and mean
// latency in microseconds of retrieval alone and of retrieval + answer, and top-1/top-3 retrieval accuracy; and the
// same for the peer, stock FTS5 bm25() over the same passages (kb_stock_fts5.cpp), in the same run.
//
//   kb_answer [ROUNDS [SOURCE_DIR]]     (defaults: 20, the source tree this was built from)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "assistant/fts5_knowledge_index.hpp"
#include "assistant/knowledge_responder.hpp"
#include "assistant/markdown_sections.hpp"
#include "kb_stock_fts5.hpp"

namespace {

namespace fs = std::filesystem;
using crossvoice::core::Platform;
using Clock = std::chrono::steady_clock;

struct Question {
    Platform platform;
    std::string text;
    std::string expected;
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

double micros(Clock::duration duration) { return std::chrono::duration<double, std::micro>(duration).count(); }

void report(const char* what, std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    double sum = 0;
    for (const double sample : samples) sum += sample;
    const auto at = [&](double quantile) {
        return samples[std::min(samples.size() - 1,
                                static_cast<std::size_t>(quantile * static_cast<double>(samples.size())))];
    };
    std::printf("%-22s p50 %8.1f us   p99 %8.1f us   mean %8.1f us   (%zu samples)\n", what, at(0.50), at(0.99),
                sum / static_cast<double>(samples.size()), samples.size());
}

}  // namespace

int main(int argc, char** argv) {
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    const fs::path source = argc > 2 ? fs::path(argv[2]) : fs::path(CROSSVOICE_SOURCE_DIR);

    std::vector<crossvoice::core::KnowledgeDocument> documents;
    std::vector<Question> questions;
    for (const Platform platform : crossvoice::core::kAllPlatforms) {
        const std::string name(crossvoice::core::to_string(platform));
        const fs::path dir = source / "config" / "knowledge" / name;
        if (!fs::is_directory(dir)) {
            std::fprintf(stderr, "no knowledge base at %s\n", dir.c_str());
            return 1;
        }
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.path().extension() != ".md") continue;
            crossvoice::core::KnowledgeDocument document;
            document.platform = platform;
            document.name = entry.path().stem().string();
            document.markdown = read_file(entry.path());
            documents.push_back(std::move(document));
        }
        std::ifstream in(source / "tests" / "fixtures" / "knowledge" / (name + "-heldout.tsv"));
        std::string line;
        while (std::getline(in, line)) {
            const auto tab = line.find('\t');
            if (tab != std::string::npos)
                questions.push_back(Question{platform, line.substr(0, tab), line.substr(tab + 1)});
        }
    }
    if (questions.empty()) {
        std::fprintf(stderr, "no held-out questions under %s/tests/fixtures/knowledge\n", source.c_str());
        return 1;
    }

    crossvoice::assistant::Fts5KnowledgeIndex index(":memory:");
    const auto build_start = Clock::now();
    auto stats = index.rebuild(documents);
    const auto build_time = Clock::now() - build_start;
    if (!stats) {
        std::fprintf(stderr, "rebuild failed: %s\n", stats.error().message.c_str());
        return 1;
    }
    std::printf("indexed %d documents, %d passages in %.1f ms; %zu questions x %d rounds\n", stats->documents,
                stats->passages, micros(build_time) / 1000.0, questions.size(), rounds);

    crossvoice::assistant::KnowledgeResponder responder;
    std::vector<double> retrieval;
    std::vector<double> answer;
    retrieval.reserve(questions.size() * static_cast<std::size_t>(rounds));
    answer.reserve(retrieval.capacity());
    std::size_t top1 = 0;
    std::size_t top3 = 0;
    std::size_t handed_over = 0;
    for (int round = 0; round < rounds; ++round) {
        for (const auto& question : questions) {
            const auto start = Clock::now();
            auto found = index.search(question.platform, question.text, 4);
            const auto searched = Clock::now();
            if (!found) {
                std::fprintf(stderr, "search failed: %s\n", found.error().message.c_str());
                return 1;
            }
            crossvoice::core::AssistantRequest request;
            request.platform = question.platform;
            request.channel = crossvoice::core::Channel::kVoice;
            request.utterance = question.text;
            request.passages = std::move(found).value();
            auto reply = responder.respond(request);
            const auto answered = Clock::now();
            retrieval.push_back(micros(searched - start));
            answer.push_back(micros(answered - start));
            if (round != 0) continue;
            const auto& passages = request.passages;
            for (std::size_t i = 0; i < passages.size() && i < 3; ++i) {
                if (passages[i].id != question.expected) continue;
                if (i == 0) ++top1;
                ++top3;
            }
            if (reply && reply->handoff != crossvoice::core::Handoff::kNone) ++handed_over;
        }
    }
    report("retrieval", retrieval);
    report("retrieval + answer", answer);
    const double n = static_cast<double>(questions.size());

    StockFts5 stock;
    for (const auto& document : documents) {
        for (const auto& passage : crossvoice::assistant::split_markdown(document.name, document.markdown)) {
            stock.add(document.platform, passage);
        }
    }
    std::vector<double> stock_retrieval;
    std::size_t stock_top1 = 0;
    std::size_t stock_top3 = 0;
    for (int round = 0; round < rounds; ++round) {
        for (const auto& question : questions) {
            const auto start = Clock::now();
            const auto ids = stock.search(question.platform, question.text, 4);
            stock_retrieval.push_back(micros(Clock::now() - start));
            if (round != 0) continue;
            for (std::size_t i = 0; i < ids.size() && i < 3; ++i) {
                if (ids[i] != question.expected) continue;
                if (i == 0) ++stock_top1;
                ++stock_top3;
            }
        }
    }
    report("stock FTS5 bm25()", stock_retrieval);
    std::printf("stock FTS5: top-1 %.1f %%   top-3 %.1f %%\n", 100.0 * static_cast<double>(stock_top1) / n,
                100.0 * static_cast<double>(stock_top3) / n);
    std::printf("top-1 %.1f %%   top-3 %.1f %%   handed over %.1f %%   (%zu questions, both platforms)\n",
                100.0 * static_cast<double>(top1) / n, 100.0 * static_cast<double>(top3) / n,
                100.0 * static_cast<double>(handed_over) / n, questions.size());
    return 0;
}
