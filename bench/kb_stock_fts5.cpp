#include "kb_stock_fts5.hpp"

#include <sqlite3.h>

#include <cctype>
#include <stdexcept>

struct StockFts5::State {
    sqlite3* db = nullptr;
    sqlite3_stmt* insert = nullptr;
    sqlite3_stmt* query = nullptr;
};

namespace {

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
    }
}

// "How do I get a refund?" -> "how" OR "do" OR "i" OR "get" OR "a" OR "refund"
std::string or_query(const std::string& text) {
    std::string out;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += " OR ";
        out += '"' + word + '"';
        word.clear();
    };
    for (const char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        if (std::isalnum(c) != 0) {
            word.push_back(static_cast<char>(std::tolower(c)));
        } else {
            flush();
        }
    }
    flush();
    return out;
}

}  // namespace

StockFts5::StockFts5() : state_(new State) {
    check(sqlite3_open(":memory:", &state_->db), state_->db, "open");
    check(sqlite3_exec(state_->db,
                       "CREATE VIRTUAL TABLE p USING fts5(platform UNINDEXED, id UNINDEXED, heading, body, "
                       "tokenize = 'porter unicode61 remove_diacritics 2')",
                       nullptr, nullptr, nullptr),
          state_->db, "create");
    check(sqlite3_prepare_v2(state_->db, "INSERT INTO p(platform, id, heading, body) VALUES (?1, ?2, ?3, ?4)", -1,
                             &state_->insert, nullptr),
          state_->db, "prepare insert");
    check(
        sqlite3_prepare_v2(state_->db, "SELECT id FROM p WHERE p MATCH ?1 AND platform = ?2 ORDER BY bm25(p) LIMIT ?3",
                           -1, &state_->query, nullptr),
        state_->db, "prepare query");
}

StockFts5::~StockFts5() {
    sqlite3_finalize(state_->insert);
    sqlite3_finalize(state_->query);
    sqlite3_close(state_->db);
    delete state_;
}

void StockFts5::add(crossvoice::core::Platform platform, const crossvoice::core::KnowledgePassage& passage) {
    const std::string name(crossvoice::core::to_string(platform));
    sqlite3_bind_text(state_->insert, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(state_->insert, 2, passage.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(state_->insert, 3, passage.heading.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(state_->insert, 4, passage.text.c_str(), -1, SQLITE_TRANSIENT);
    check(sqlite3_step(state_->insert), state_->db, "insert");
    sqlite3_reset(state_->insert);
}

std::vector<std::string> StockFts5::search(crossvoice::core::Platform platform, const std::string& question,
                                           int limit) {
    std::vector<std::string> ids;
    const std::string match = or_query(question);
    if (match.empty()) return ids;
    const std::string name(crossvoice::core::to_string(platform));
    sqlite3_bind_text(state_->query, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(state_->query, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(state_->query, 3, limit);
    int rc = 0;
    while ((rc = sqlite3_step(state_->query)) == SQLITE_ROW) {
        ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(state_->query, 0)));
    }
    check(rc, state_->db, "query");
    sqlite3_reset(state_->query);
    return ids;
}
