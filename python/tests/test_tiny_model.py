"""The tiny model and tokenizer built on the spot, and the chat server used for evaluation (no server needed)."""

import json
import tempfile
import unittest

RECORD = {
    "messages": [
        {"role": "system", "content": "You probe a hidden function of four numbers."},
        {"role": "user", "content": "Probe it, then answer."},
        {"role": "assistant", "content": "First the test case.", "tool_calls": [{"type": "function", "function": {"name": "interact_with_env", "arguments": {"choice": "search", "content": "test"}}}]},
        {"role": "tool", "content": "Test case: [3, 5, 5, 3]\nReward: 0.0"},
        {"role": "assistant", "content": "Answering.", "tool_calls": [{"type": "function", "function": {"name": "interact_with_env", "arguments": {"choice": "answer", "content": "225"}}}]},
    ],
    "tools": [{"type": "function", "function": {"name": "interact_with_env", "description": "Interact.", "parameters": {"type": "object", "properties": {"choice": {"type": "string", "enum": ["action", "answer", "search"], "description": "kind"}, "content": {"type": "string", "description": "what"}}, "required": ["choice", "content"]}}}],
}


class TinyModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from userrl_bridge.tiny_model import TinyModelConfig, build_tiny_model

        cls.dir = tempfile.mkdtemp(prefix="userrl-tiny-")
        cls.summary = build_tiny_model(cls.dir, [RECORD, {"prompt": RECORD["messages"][:2]}], TinyModelConfig(vocab_size=400))
        cls.tok = AutoTokenizer.from_pretrained(cls.dir)
        cls.model = AutoModelForCausalLM.from_pretrained(cls.dir)

    def test_shape_and_tokenizer(self):
        self.assertEqual((self.model.config.model_type, self.model.config.hidden_size, self.model.config.num_hidden_layers), ("qwen3", 64, 2))
        self.assertEqual(self.summary["vocab"], len(self.tok))
        for marker in ("<tool_call>", "</tool_call>", "<think>", "<|im_end|>"):
            self.assertEqual(len(self.tok(marker, add_special_tokens=False)["input_ids"]), 1, marker)
        text = "Test case: [3, 5, 5, 3] ünïcode ✓"
        self.assertEqual(self.tok.decode(self.tok(text, add_special_tokens=False)["input_ids"]), text)

    def test_trl_treats_it_as_qwen3(self):
        from trl.chat_template_utils import add_response_schema, get_training_chat_template, parse_response, supports_tool_calling

        self.assertTrue(supports_tool_calling(self.tok))
        self.assertIsNotNone(get_training_chat_template(self.tok))  # Qwen3's own template, swapped like a real Qwen3's
        add_response_schema(self.tok)
        reply = '<think>\n\n</think>\n\nAnswering.\n<tool_call>\n{"name": "interact_with_env", "arguments": {"choice": "answer", "content": "225"}}\n</tool_call><|im_end|>'
        prompt = self.tok.apply_chat_template(RECORD["messages"][:4], tools=RECORD["tools"], add_generation_prompt=True, return_dict=False)
        parsed = parse_response(self.tok, self.tok(reply, add_special_tokens=False)["input_ids"], prefix=prompt)
        self.assertEqual(parsed["tool_calls"][0]["function"], {"name": "interact_with_env", "arguments": {"choice": "answer", "content": "225"}})

    def test_chat_server_answers_the_openai_contract(self):
        from userrl_bridge.serve_openai import ChatModel

        chat = ChatModel(self.model, self.tok, "tiny")
        body = {"messages": [dict(m, tool_calls=[dict(c, function=dict(c["function"], arguments=json.dumps(c["function"]["arguments"])), id="c1") for c in m["tool_calls"]]) if m.get("tool_calls") else m for m in RECORD["messages"][:4]], "tools": RECORD["tools"], "temperature": 0, "max_tokens": 6}
        reply = chat.complete(body)
        self.assertEqual(reply["object"], "chat.completion")
        self.assertEqual(reply["usage"]["completion_tokens"], 6)
        self.assertIn(reply["choices"][0]["finish_reason"], ("length", "stop", "tool_calls"))
        self.assertEqual(chat.complete(body)["choices"][0]["message"], reply["choices"][0]["message"])  # greedy is deterministic
        with self.assertRaises(ValueError):
            chat.complete({"messages": []})


if __name__ == "__main__":
    unittest.main()
