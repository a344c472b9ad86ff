#include "texml_fakes.hpp"

#include "http/message.hpp"

namespace crossvoice::sandbox::testing {

std::optional<std::string> AppRequest::header(std::string_view name) const {
    for (const auto& [key, value] : request.headers) {
        if (key.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < key.size() && same; ++i) {
            same =
                std::tolower(static_cast<unsigned char>(key[i])) == std::tolower(static_cast<unsigned char>(name[i]));
        }
        if (same) return value;
    }
    return std::nullopt;
}

std::string AppRequest::param(std::string_view name) const {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return "";
}

bool AppRequest::has(std::string_view name) const {
    for (const auto& [key, value] : params) {
        if (key == name) return true;
    }
    return false;
}

FormFields decode_form(std::string_view text) {
    FormFields out;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto pair = text.substr(0, amp);
        const auto eq = pair.find('=');
        auto name = http::percent_decode(pair.substr(0, eq), true);
        auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                  : http::percent_decode(pair.substr(eq + 1), true);
        out.emplace_back(name.value_or("?"), value.value_or("?"));
        if (amp == std::string_view::npos) break;
        text.remove_prefix(amp + 1);
    }
    return out;
}

core::Result<core::ports::HttpResponse> FakeTexmlApp::send(const core::ports::HttpRequest& request) {
    AppRequest seen;
    seen.request = request;
    const auto mark = request.url.find('?');
    seen.path = request.url.substr(0, mark);
    seen.query = mark == std::string::npos ? "" : request.url.substr(mark + 1);
    seen.params = decode_form(request.method == "GET" ? std::string_view(seen.query) : std::string_view(request.body));
    Handler handler;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(seen);
        if (const auto it = routes_.find(seen.path); it != routes_.end()) handler = it->second;
    }
    if (!handler) return answer(404, R"({"success":false,"error":"no such page"})", "application/json");
    return handler(seen);
}

void FakeTexmlApp::on(const std::string& path, Handler handler) {
    std::lock_guard lock(mutex_);
    routes_[path] = std::move(handler);
}

void FakeTexmlApp::texml(const std::string& path, std::string xml) {
    on(path, [xml = std::move(xml)](const AppRequest&) -> core::Result<core::ports::HttpResponse> {
        return answer(200, xml);
    });
}

std::string FakeTexmlApp::document(std::string_view verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>" + std::string(verbs) + "</Response>";
}

core::ports::HttpResponse FakeTexmlApp::answer(int status, std::string body, std::string content_type) {
    core::ports::HttpResponse response;
    response.status = status;
    response.headers = {{"content-type", std::move(content_type)}};
    response.body = std::move(body);
    return response;
}

std::vector<AppRequest> FakeTexmlApp::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<AppRequest> FakeTexmlApp::requests_to(const std::string& path) const {
    std::vector<AppRequest> out;
    for (auto& seen : requests()) {
        if (seen.path == path) out.push_back(std::move(seen));
    }
    return out;
}

}  // namespace crossvoice::sandbox::testing
