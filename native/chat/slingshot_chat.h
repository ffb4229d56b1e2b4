// A C ABI over llama.cpp's chat machinery (common/chat.h in libllama-common.so): the same template
// rendering, tool-call grammars and output parsers llama-server uses. Everything crosses as UTF-8 JSON
// text so no C++ type (std::string, common_json, exceptions) ever reaches the caller.
//
// Every function that can fail returns 0 on success and nonzero on failure; on failure *error holds a
// one-line message the caller frees with slingshot_chat_free. No C++ exception escapes a function.
#pragma once

#include <stdint.h>

#define SLINGSHOT_CHAT_API __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif

struct llama_model;
typedef struct slingshot_chat_templates slingshot_chat_templates;

// The version of this interface; the managed side refuses a library that reports another.
SLINGSHOT_CHAT_API int32_t slingshot_chat_abi_version(void);

// Parses a template. With model != NULL and an empty template_source, the model's own template (and its
// "tool_use" variant) is used, and BOS/EOS come from its vocabulary, exactly as llama-server does; with a
// template_source, that text is used, and bos_token/eos_token (may be NULL) where no model is given.
SLINGSHOT_CHAT_API int32_t slingshot_chat_templates_init(const struct llama_model * model, const char * template_source,
                                      const char * bos_token, const char * eos_token,
                                      slingshot_chat_templates ** out, char ** error);

SLINGSHOT_CHAT_API void slingshot_chat_templates_free(slingshot_chat_templates * templates);

// {"source", "tool_use_source", "caps": {"supports_system_role": true, ...}, "supports_enable_thinking",
//  "default_enable_thinking" (what the template renders when a request gives no thinking switch)}
SLINGSHOT_CHAT_API int32_t slingshot_chat_templates_describe(const slingshot_chat_templates * templates, char ** result_json, char ** error);

// Renders a request. request_json holds OpenAI-style "messages" and optional "tools", "tool_choice",
// "parallel_tool_calls", "add_generation_prompt", "enable_thinking" (absent: the template's own default, as Hugging
// Face renders it; llama-server would pass true), "reasoning_format",
// "chat_template_kwargs" (values any JSON), "json_schema", "grammar". result_json holds "prompt",
// "format", "grammar", "grammar_lazy", "grammar_triggers", "preserved_tokens", "additional_stops",
// "generation_prompt", "supports_thinking", "thinking_start_tag", "thinking_end_tags" and "parser"
// (the serialized output parser to hand back to slingshot_chat_parse).
SLINGSHOT_CHAT_API int32_t slingshot_chat_apply(const slingshot_chat_templates * templates, const char * request_json,
                             char ** result_json, char ** error);

// Parses model output into an OpenAI-style assistant message ("content", "reasoning_content",
// "tool_calls"). params_json holds "format", "parser", "generation_prompt" (from slingshot_chat_apply),
// "reasoning_format" and "parse_tool_calls".
SLINGSHOT_CHAT_API int32_t slingshot_chat_parse(const char * text, int32_t is_partial, const char * params_json,
                             char ** result_json, char ** error);

// llama.cpp's JSON-schema-to-GBNF converter (the one llama-server uses for response_format).
SLINGSHOT_CHAT_API int32_t slingshot_json_schema_to_grammar(const char * schema_json, char ** grammar, char ** error);

SLINGSHOT_CHAT_API void slingshot_chat_free(char * text);

#ifdef __cplusplus
}
#endif
