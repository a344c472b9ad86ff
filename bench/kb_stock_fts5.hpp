#pragma once

#include <string>
#include <vector>

#include "core/assistant.hpp"

// The peer of bench/kb_answer.cpp: the same passages in a plain SQLite FTS5 table ranked by the built-in bm25(),
// queried with the question's words OR-ed (no stopwords, synonyms, example questions or custom ranking): what
// "just use FTS5" would give, measured in the same run.
class StockFts5 {
  public:
    StockFts5();
    ~StockFts5();
    StockFts5(const StockFts5&) = delete;
    StockFts5& operator=(const StockFts5&) = delete;

    void add(crossvoice::core::Platform platform, const crossvoice::core::KnowledgePassage& passage);
    // Ids of the best `limit` passages of the platform, best first.
    std::vector<std::string> search(crossvoice::core::Platform platform, const std::string& question, int limit);

  private:
    struct State;
    State* state_;
};
