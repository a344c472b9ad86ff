#pragma once

#include <string_view>

#include "core/result.hpp"

struct sqlite3;

namespace crossvoice::assistant {

// The SQL name of the ranking function register_rank_function adds.
inline constexpr std::string_view kRankFunction = "cv_rank";

// Adds `cv_rank(passages, title_weight, heading_weight, body_weight, introduction_weight, asks_weight)` to a
// connection's FTS5: the relevance of the current row to the MATCH query, higher is better. It is BM25 (k1 = 1.2, b =
// 0.75) with two changes that matter for short knowledge bases searched with spoken questions:
//   - IDF is Lucene's log(1 + (N - n + 0.5) / (n + 0.5)), always positive. FTS5's bm25() floors the IDF of a word
//     found in half the passages or more to almost nothing, and in a small knowledge base that is exactly the
//     word the question is about ("plan" in the plans document, "voicemail" in the voicemail one).
//   - A query word in the heading adds heading_weight × its IDF on top of the title and body BM25 (whose term
//     frequencies count title_weight and body_weight per occurrence). bm25()'s column weights only scale term
//     frequencies, which saturate, so a heading match barely counted; here it counts as much as the heading
//     says about the passage: a heading names what its passage answers.
// The score of a document's introduction (the passage headed by its title: an overview that names every topic the
// sections below answer) is multiplied by introduction_weight: a question is nearly always answered by a section.
// A question word found among the section's example questions (the asks column) adds asks_weight, as a heading
// word adds heading_weight.
// The table's columns must be (platform, id, document, title, heading, body), as the index creates them.
core::Status register_rank_function(sqlite3* db);

}  // namespace crossvoice::assistant
