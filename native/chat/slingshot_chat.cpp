// The C ABI declared in slingshot_chat.h, over llama.cpp's common/chat.h. Compiled at build time against
// the pinned llama.cpp source (the same tree libllama-common.so was built from), so every struct this file
// touches has the layout the library expects. Each entry point catches everything: a C++ exception that
// crossed into .NET would terminate the process.
#include "slingshot_chat.h"

#include "chat.h"
#include "json-schema-to-grammar.h"
#include "json.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

enum class thinking_default { on, off, undefined };

struct slingshot_chat_templates {
    common_chat_templates_ptr templates;
    // What the template renders when no thinking switch is passed (see default_thinking below).
    thinking_default default_thinking = thinking_default::on;
};

namespace {

constexpr int32_t abi_version = 1;

char * copy_out(const std::string & text) {
    auto * out = static_cast<char *>(std::malloc(text.size() + 1));
    if (out != nullptr) {
        std::memcpy(out, text.data(), text.size());
        out[text.size()] = '\0';
    }
    return out;
}

// Errors are one line: callers show them to users (an HTTP 400, a load warning).
std::string one_line(std::string message) {
    for (auto & c : message) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    while (!message.empty() && message.back() == ' ') {
        message.pop_back();
    }
    return message.empty() ? std::string("unknown error") : message;
}

template <typename F>
int32_t guarded(char ** error, F && body) {
    if (error != nullptr) {
        *error = nullptr;
    }
    try {
        body();
        return 0;
    } catch (const std::exception & e) {
        if (error != nullptr) {
            *error = copy_out(one_line(e.what()));
        }
    } catch (...) {
        if (error != nullptr) {
            *error = copy_out("unknown native error");
        }
    }
    return 1;
}

common_reasoning_format reasoning_format_of(const common_json & request) {
    if (!request.contains("reasoning_format") || request.at("reasoning_format").is_null()) {
        return COMMON_REASONING_FORMAT_NONE;
    }
    return common_reasoning_format_from_name(request.at("reasoning_format").get<std::string>());
}

common_json triggers_to_json(const std::vector<common_grammar_trigger> & triggers) {
    auto out = common_json::array();
    for (const auto & trigger : triggers) {
        common_json item = common_json::object();
        item["type"] = (int) trigger.type;
        item["value"] = trigger.value;
        if (trigger.type == COMMON_GRAMMAR_TRIGGER_TYPE_TOKEN) {
            item["token"] = (int) trigger.token;
        }
        out.push_back(item);
    }
    return out;
}

common_json strings_to_json(const std::vector<std::string> & values) {
    auto out = common_json::array();
    for (const auto & value : values) {
        out.push_back(value);
    }
    return out;
}

// Renders a template with exactly the given variables and nothing else: llama.cpp's own apply always passes
// enable_thinking, so this is the only way to see what the template does when the caller says nothing.
std::string render_plain(const common_chat_template & tmpl, const common_json & variables) {
    jinja::context ctx(tmpl.source());
    jinja::global_from_json(ctx, variables, false);
    jinja::runtime runtime(ctx);
    const jinja::value results = runtime.execute(tmpl.prog);
    return jinja::runtime::gather_string_parts(results)->as_string().str();
}

// The thinking switch a template defaults to. Hugging Face's apply_chat_template passes enable_thinking only when
// the caller sets it, so the template's own default decides (Gemma 4, DeepSeek V3.1, Laguna default to off, some
// templates render a third way when the switch is absent); llama-server always passes true. Found by rendering a
// short conversation without the switch and comparing it with each value; "undefined" is rendered by passing null,
// which every template that tests `enable_thinking is defined and enable_thinking is true/false` treats as absent.
thinking_default default_thinking(const std::string & source) {
    try {
        common_chat_template tmpl(source, "", "");
        const auto & caps = tmpl.original_caps();
        const bool typed = !caps.supports_string_content && caps.supports_typed_content;
        auto message = [typed](const char * role, const char * text) {
            common_json m = common_json::object();
            m["role"] = role;
            if (typed) {
                common_json part = common_json::object();
                part["type"] = "text";
                part["text"] = text;
                common_json parts = common_json::array();
                parts.push_back(part);
                m["content"] = parts;
            } else {
                m["content"] = text;
            }
            return m;
        };
        common_json messages = common_json::array();
        messages.push_back(message("user", "Hello."));
        messages.push_back(message("assistant", "Hi."));
        messages.push_back(message("user", "How are you?"));
        common_json variables = common_json::object();
        variables["messages"] = messages;
        variables["add_generation_prompt"] = true;
        const auto unset = render_plain(tmpl, variables);
        variables["enable_thinking"] = true;
        if (render_plain(tmpl, variables) == unset) {
            return thinking_default::on;
        }
        variables["enable_thinking"] = false;
        if (render_plain(tmpl, variables) == unset) {
            return thinking_default::off;
        }
        variables["enable_thinking"] = nullptr;
        if (render_plain(tmpl, variables) == unset) {
            return thinking_default::undefined;
        }
    } catch (...) {
        // a template that cannot render this conversation: keep llama-server's default
    }
    return thinking_default::on;
}

}  // namespace

extern "C" {

int32_t slingshot_chat_abi_version(void) {
    return abi_version;
}

int32_t slingshot_chat_templates_init(const llama_model * model, const char * template_source,
                                      const char * bos_token, const char * eos_token,
                                      slingshot_chat_templates ** out, char ** error) {
    return guarded(error, [&] {
        if (out == nullptr) {
            throw std::invalid_argument("no output pointer");
        }
        *out = nullptr;
        std::string source = template_source != nullptr ? template_source : "";
        if (model == nullptr && source.empty()) {
            // common_chat_templates_init asserts (aborts) on this combination.
            throw std::invalid_argument("a template text is required without a model");
        }
        auto templates = std::make_unique<slingshot_chat_templates>();
        templates->templates = common_chat_templates_init(model, source, bos_token != nullptr ? bos_token : "",
                                                          eos_token != nullptr ? eos_token : "");
        templates->default_thinking = default_thinking(common_chat_templates_source(templates->templates.get()));
        *out = templates.release();
    });
}

void slingshot_chat_templates_free(slingshot_chat_templates * templates) {
    delete templates;
}

int32_t slingshot_chat_templates_describe(const slingshot_chat_templates * templates, char ** result_json, char ** error) {
    return guarded(error, [&] {
        if (templates == nullptr || result_json == nullptr) {
            throw std::invalid_argument("null argument");
        }
        auto caps = common_json::object();
        for (const auto & [name, value] : common_chat_templates_get_caps(templates->templates.get())) {
            caps[name] = value;
        }
        auto result = common_json::object();
        result["source"] = common_chat_templates_source(templates->templates.get());
        result["tool_use_source"] = common_chat_templates_source(templates->templates.get(), "tool_use");
        result["caps"] = caps;
        bool supports_enable_thinking = false;
        try {
            supports_enable_thinking = common_chat_templates_support_enable_thinking(templates->templates.get());
        } catch (...) {
            // it renders the template to find out; one that cannot render has no thinking switch to speak of
        }
        result["supports_enable_thinking"] = supports_enable_thinking;
        result["default_enable_thinking"] = templates->default_thinking == thinking_default::on ? common_json(true)
                                          : templates->default_thinking == thinking_default::off ? common_json(false)
                                          : common_json(nullptr);
        *result_json = copy_out(result.dump());
    });
}

int32_t slingshot_chat_apply(const slingshot_chat_templates * templates, const char * request_json,
                             char ** result_json, char ** error) {
    return guarded(error, [&] {
        if (templates == nullptr || request_json == nullptr || result_json == nullptr) {
            throw std::invalid_argument("null argument");
        }
        const auto request = common_json::parse(request_json);
        if (!request.is_object() || !request.contains("messages") || !request.at("messages").is_array()) {
            throw std::invalid_argument("'messages' must be an array");
        }

        common_chat_templates_inputs inputs;
        inputs.messages = common_chat_msgs_parse_oaicompat(request.at("messages"));
        if (request.contains("tools") && !request.at("tools").is_null()) {
            inputs.tools = common_chat_tools_parse_oaicompat(request.at("tools"));
        }
        if (request.contains("tool_choice") && request.at("tool_choice").is_string()) {
            inputs.tool_choice = common_chat_tool_choice_parse_oaicompat(request.at("tool_choice").get<std::string>());
        }
        inputs.parallel_tool_calls = request.value("parallel_tool_calls", false);
        inputs.add_generation_prompt = request.value("add_generation_prompt", true);
        inputs.reasoning_format = reasoning_format_of(request);
        inputs.use_jinja = true;
        if (request.contains("grammar") && request.at("grammar").is_string()) {
            inputs.grammar = request.at("grammar").get<std::string>();
        }
        if (request.contains("json_schema") && !request.at("json_schema").is_null()) {
            inputs.json_schema = request.at("json_schema").dump();
        }
        if (request.contains("chat_template_kwargs") && request.at("chat_template_kwargs").is_object()) {
            // llama-server keeps kwargs as JSON text and parses each again when rendering.
            const auto & kwargs = request.at("chat_template_kwargs");
            for (auto it = kwargs.begin(); it != kwargs.end(); ++it) {
                inputs.chat_template_kwargs[it.key()] = it.value().dump();
            }
        }
        // The thinking switch: the request's, else a boolean kwarg of that name (as llama-server reads it), else the
        // template's own default. A template that renders differently when the switch is absent gets null.
        const auto kwarg = inputs.chat_template_kwargs.find("enable_thinking");
        if (request.contains("enable_thinking") && request.at("enable_thinking").is_boolean()) {
            inputs.enable_thinking = request.at("enable_thinking").get<bool>();
        } else if (kwarg != inputs.chat_template_kwargs.end() && (kwarg->second == "true" || kwarg->second == "false")) {
            inputs.enable_thinking = kwarg->second == "true";
        } else if (kwarg == inputs.chat_template_kwargs.end()) {
            inputs.enable_thinking = templates->default_thinking != thinking_default::off;
            if (templates->default_thinking == thinking_default::undefined) {
                inputs.chat_template_kwargs["enable_thinking"] = "null";
            }
        }

        const auto params = common_chat_templates_apply(templates->templates.get(), inputs);

        auto result = common_json::object();
        result["prompt"] = params.prompt;
        result["format"] = (int) params.format;
        result["format_name"] = common_chat_format_name(params.format);
        result["grammar"] = params.grammar;
        result["grammar_lazy"] = params.grammar_lazy;
        result["grammar_triggers"] = triggers_to_json(params.grammar_triggers);
        result["preserved_tokens"] = strings_to_json(params.preserved_tokens);
        result["additional_stops"] = strings_to_json(params.additional_stops);
        result["generation_prompt"] = params.generation_prompt;
        result["supports_thinking"] = params.supports_thinking;
        result["thinking_start_tag"] = params.thinking_start_tag;
        result["thinking_end_tags"] = strings_to_json(params.thinking_end_tags);
        result["parser"] = params.parser;
        *result_json = copy_out(result.dump());
    });
}

int32_t slingshot_chat_parse(const char * text, int32_t is_partial, const char * params_json,
                             char ** result_json, char ** error) {
    return guarded(error, [&] {
        if (text == nullptr || params_json == nullptr || result_json == nullptr) {
            throw std::invalid_argument("null argument");
        }
        const auto request = common_json::parse(params_json);
        common_chat_parser_params params;
        params.format = (common_chat_format) request.value("format", (int) COMMON_CHAT_FORMAT_CONTENT_ONLY);
        if (params.format < COMMON_CHAT_FORMAT_CONTENT_ONLY || params.format >= COMMON_CHAT_FORMAT_COUNT) {
            throw std::invalid_argument("unknown chat format");
        }
        params.reasoning_format = reasoning_format_of(request);
        params.generation_prompt = request.value("generation_prompt", std::string());
        params.parse_tool_calls = request.value("parse_tool_calls", true);
        const auto parser = request.value("parser", std::string());
        if (!parser.empty()) {
            params.parser.load(parser);
        }
        const auto message = common_chat_parse(text, is_partial != 0, params);
        *result_json = copy_out(message.to_json_oaicompat().dump());
    });
}

int32_t slingshot_json_schema_to_grammar(const char * schema_json, char ** grammar, char ** error) {
    return guarded(error, [&] {
        if (schema_json == nullptr || grammar == nullptr) {
            throw std::invalid_argument("null argument");
        }
        *grammar = copy_out(json_schema_to_grammar(common_json::parse(schema_json)));
    });
}

void slingshot_chat_free(char * text) {
    std::free(text);
}

}  // extern "C"
