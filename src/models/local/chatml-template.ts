/**
 * The project's own ChatML chat template with Hermes-style tools (`<tools>`, `<tool_call>`,
 * `<tool_response>`) and `<think>` blocks — the conversation format of Qwen2.5/Qwen3 models. Used for
 * GGUF files that carry no usable `tokenizer.chat_template`, and written into the generated test models.
 *
 * Reasoning of assistant turns is kept only after the last user message (earlier turns' reasoning is
 * dropped, as Qwen3 does); `enable_thinking=false` pre-fills an empty think block.
 */
export const CHATML_TOOLS_TEMPLATE = `{%- set ns = namespace(first=0, last_user=-1) -%}
{%- for m in messages -%}
{%- if m.role == 'user' -%}{%- set ns.last_user = loop.index0 -%}{%- endif -%}
{%- endfor -%}
{%- if messages and messages[0].role == 'system' -%}
{%- set system_text = messages[0].content -%}
{%- set ns.first = 1 -%}
{%- else -%}
{%- set system_text = '' -%}
{%- endif -%}
{%- if tools -%}
{{- '<|im_start|>system\\n' -}}
{%- if system_text -%}{{- system_text + '\\n\\n' -}}{%- endif -%}
{{- '# Tools\\n\\nThese functions are available, one JSON schema per line inside <tools></tools>:\\n<tools>' -}}
{%- for tool in tools -%}{{- '\\n' + (tool | tojson) -}}{%- endfor -%}
{{- '\\n</tools>\\n\\nTo call a function, reply with a JSON object naming it and giving its arguments, inside <tool_call></tool_call> tags:\\n<tool_call>\\n{"name": <function-name>, "arguments": <arguments-object>}\\n</tool_call><|im_end|>\\n' -}}
{%- elif system_text -%}
{{- '<|im_start|>system\\n' + system_text + '<|im_end|>\\n' -}}
{%- endif -%}
{%- for m in messages -%}
{%- if loop.index0 >= ns.first -%}
{%- if m.role == 'user' -%}
{{- '<|im_start|>user\\n' + m.content + '<|im_end|>\\n' -}}
{%- elif m.role == 'assistant' -%}
{{- '<|im_start|>assistant\\n' -}}
{%- if m.reasoning_content and loop.index0 > ns.last_user -%}
{{- '<think>\\n' + m.reasoning_content + '\\n</think>\\n\\n' -}}
{%- endif -%}
{{- m.content -}}
{%- if m.tool_calls -%}
{%- for call in m.tool_calls -%}
{%- set fn = call.function if call.function else call -%}
{%- if m.content or not loop.first -%}{{- '\\n' -}}{%- endif -%}
{{- '<tool_call>\\n{"name": ' + (fn.name | tojson) + ', "arguments": ' -}}
{%- if fn.arguments is string -%}{{- fn.arguments -}}{%- else -%}{{- fn.arguments | tojson -}}{%- endif -%}
{{- '}\\n</tool_call>' -}}
{%- endfor -%}
{%- endif -%}
{{- '<|im_end|>\\n' -}}
{%- elif m.role == 'tool' -%}
{%- if loop.index0 == 0 or messages[loop.index0 - 1].role != 'tool' -%}{{- '<|im_start|>user' -}}{%- endif -%}
{{- '\\n<tool_response>\\n' + m.content + '\\n</tool_response>' -}}
{%- if loop.last or messages[loop.index0 + 1].role != 'tool' -%}{{- '<|im_end|>\\n' -}}{%- endif -%}
{%- endif -%}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{- '<|im_start|>assistant\\n' -}}
{%- if enable_thinking is defined and enable_thinking is false -%}{{- '<think>\\n\\n</think>\\n\\n' -}}{%- endif -%}
{%- endif -%}`;
