"""A small OpenAI-compatible chat server for a Hugging Face checkpoint, so ``userrl eval`` can evaluate it.

``python -m userrl_bridge.serve_openai --model <dir> [--port 0]`` prints ``@userrl {"kind": "serving", "port": N}``
when it listens. ``POST /v1/chat/completions`` takes OpenAI messages and tools, renders them with the model's
chat template (TRL's prefix-preserving training variant where TRL has one, i.e. the format the model was
trained on), generates (greedy at temperature 0), and returns the reply with its tool calls and reasoning
parsed by TRL's response parser. One request generates at a time. This is for CPU runs and small models;
on GPUs, serve the checkpoint with vLLM (``vllm serve <dir> --enable-auto-tool-choice --tool-call-parser hermes
--reasoning-parser qwen3``) and pass its URL to ``userrl train --eval-server``.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .events import EventWriter

MAX_BODY = 16 * 1024 * 1024


def _chat_messages(messages: list) -> list:
    """OpenAI messages → chat-template messages (tool-call arguments as objects, as templates expect)."""
    out = []
    for m in messages:
        if not isinstance(m, dict) or "role" not in m:
            raise ValueError("every message needs a role")
        msg = {"role": m["role"], "content": m.get("content") or ""}
        if isinstance(msg["content"], list):  # content parts: keep the text
            msg["content"] = "".join(p.get("text", "") for p in msg["content"] if isinstance(p, dict))
        if m.get("reasoning_content"):
            msg["reasoning_content"] = m["reasoning_content"]
        calls = []
        for c in m.get("tool_calls") or []:
            fn = c.get("function") or {}
            args = fn.get("arguments")
            if isinstance(args, str):
                try:
                    args = json.loads(args)
                except json.JSONDecodeError:
                    pass
            calls.append({"type": "function", "function": {"name": fn.get("name", ""), "arguments": args}})
        if calls:
            msg["tool_calls"] = calls
        out.append(msg)
    return out


def _rendered_tool(tool: dict) -> dict:
    """The tool as the model was trained to see it: ``interact_with_env`` exactly as the SFT set and GRPO render it."""
    from .trl_env import TOOL_NAME, tool_schema

    name = (tool.get("function") or tool).get("name")
    return tool_schema(tool) if name == TOOL_NAME else tool


class ChatModel:
    """A causal LM and its tokenizer behind the chat-completions contract (one generation at a time)."""

    def __init__(self, model: Any, tokenizer: Any, name: str):
        import torch
        from trl.chat_template_utils import add_response_schema, get_training_chat_template

        self.torch = torch
        self.name = name
        self.tokenizer = tokenizer
        self.model = model
        self.model.eval()
        try:
            self.template = get_training_chat_template(self.tokenizer)
        except ValueError:
            self.template = None
        if getattr(self.tokenizer, "response_template", None) is None and getattr(self.tokenizer, "response_schema", None) is None:
            try:
                add_response_schema(self.tokenizer)
            except ValueError:
                pass  # unknown family: replies come back as plain text (the client parses <tool_call> itself)
        self.lock = threading.Lock()

    @classmethod
    def from_dir(cls, model_dir: str, name: str) -> "ChatModel":
        from transformers import AutoModelForCausalLM, AutoTokenizer

        return cls(AutoModelForCausalLM.from_pretrained(model_dir), AutoTokenizer.from_pretrained(model_dir), name)

    def complete(self, body: dict) -> dict:
        from trl.chat_template_utils import parse_response

        messages = _chat_messages(body.get("messages") or [])
        if not messages:
            raise ValueError("messages is empty")
        tools = [_rendered_tool(t) for t in body.get("tools") or []] or None
        ids = self.tokenizer.apply_chat_template(
            messages, tools=tools, add_generation_prompt=True, chat_template=self.template, return_dict=False
        )
        temperature = float(body.get("temperature") if body.get("temperature") is not None else 1.0)
        max_new = int(body.get("max_tokens") or body.get("max_completion_tokens") or 2048)
        kwargs: dict[str, Any] = {"max_new_tokens": max_new}
        if temperature <= 0:
            kwargs["do_sample"] = False
        else:
            kwargs.update(do_sample=True, temperature=temperature, top_p=float(body.get("top_p") or 1.0), top_k=0)
        with self.lock, self.torch.no_grad():
            if body.get("seed") is not None:
                self.torch.manual_seed(int(body["seed"]))
            out = self.model.generate(self.torch.tensor([ids]), **kwargs)
        new = out[0][len(ids) :].tolist()
        eos = self.model.generation_config.eos_token_id
        eos = set(eos if isinstance(eos, list) else [eos])
        finish = "stop" if new and new[-1] in eos else "length"
        parsed = parse_response(self.tokenizer, new, prefix=ids)
        message: dict[str, Any] = {"role": "assistant", "content": parsed.get("content") or ""}
        if parsed.get("reasoning_content"):
            message["reasoning_content"] = parsed["reasoning_content"]
        calls = [
            {"id": f"call_{uuid.uuid4().hex[:12]}", "type": "function", "function": {"name": c["function"]["name"], "arguments": json.dumps(c["function"].get("arguments") or {})}}
            for c in parsed.get("tool_calls") or []
        ]
        if calls:
            message["tool_calls"] = calls
            finish = "tool_calls"
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.name,
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": len(ids), "completion_tokens": len(new), "total_tokens": len(ids) + len(new)},
        }


def make_handler(chat: ChatModel):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:  # quiet: the caller keeps its own log
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/") in ("/v1/models", "/models"):
                return self._send(200, {"object": "list", "data": [{"id": chat.name, "object": "model", "owned_by": "userrl"}]})
            if self.path.rstrip("/") == "/health":
                return self._send(200, {"status": "healthy"})
            self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def do_POST(self) -> None:
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                return self._send(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            try:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    return self._send(413, {"error": {"message": "request too large", "type": "invalid_request_error"}})
                body = json.loads(self.rfile.read(length) or b"{}")
                if not isinstance(body, dict):
                    raise ValueError("the body must be a JSON object")
                return self._send(200, chat.complete(body))
            except (ValueError, KeyError, TypeError) as err:
                return self._send(400, {"error": {"message": str(err), "type": "invalid_request_error"}})
            except Exception as err:  # noqa: BLE001 - a failed generation is an answer, not a crash
                return self._send(500, {"error": {"message": f"{type(err).__name__}: {err}", "type": "server_error"}})

    return Handler


def serve(chat: ChatModel, host: str = "127.0.0.1", port: int = 0, events: EventWriter | None = None) -> None:
    """Serve until interrupted (SIGTERM/SIGINT); announce the bound port as a ``serving`` event."""
    server = ThreadingHTTPServer((host, port), make_handler(chat))
    (events or EventWriter()).emit("serving", host=host, port=server.server_address[1], model=chat.name)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="a Hugging Face model folder (weights, config, tokenizer)")
    p.add_argument("--name", default="userrl-policy", help="the model name clients use")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = any free port")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    a = p.parse_args(argv)
    if a.threads:
        import torch

        torch.set_num_threads(a.threads)
    serve(ChatModel.from_dir(a.model, a.name), a.host, a.port)


if __name__ == "__main__":
    main()
