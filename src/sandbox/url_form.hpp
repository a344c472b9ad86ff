#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crossvoice::sandbox {

// Ordered name/value pairs, as a TeXML request carries them (PascalCase names, vendor-apis.md B.1/B.3).
using FormFields = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded: letters, digits and -._~ as they are, space as '+', every other byte %XX
// (upper-case hex). The same text serves as a POST body and as a GET query string.
std::string encode_form(const FormFields& fields);

// `url` with `query` appended after '?' (or '&' when the URL already has a query); `url` alone when `query` is
// empty. A fragment, if any, is dropped: it never reaches a server.
std::string with_query(std::string_view url, std::string_view query);

// The query string of `url`: what follows the first '?', up to a '#'; "" when there is none.
std::string_view query_of(std::string_view url);

// `reference` (an action or Redirect URL from a document) resolved against `base` (the document's own absolute
// URL), as a browser would for the common shapes: absolute ("https://..."), scheme-relative ("//host/x"),
// absolute path ("/x"), query only ("?a=1") or relative path ("next.xml", against base's directory). Dot segments
// are kept as written; an empty reference is the base itself.
std::string resolve_url(std::string_view base, std::string_view reference);

// True for an absolute http:// or https:// URL with a host.
bool is_http_url(std::string_view url);

}  // namespace crossvoice::sandbox
