"""End-to-end check of the Python client against a running `userrl serve` (run by test/server/python-client.test.ts).

Usage: python check_client.py <base-url> <token>. Prints one JSON line with what it saw; exits non-zero on failure.
"""

import asyncio
import json
import sys

from userrl_bridge import EnvClient, ServerError, ServerHttp, SyncEnvClient


async def async_episode(url: str, token: str) -> dict:
    async with EnvClient(url, token=token) as env:
        first = await env.reset(gym="function", task_id="func-1")
        assert first.reward is None and first.done is False, first
        assert [m["role"] for m in first.messages] == ["system", "user"], first.messages
        probe = await env.step("search", "test")
        assert probe.text == "Test case: [3, 5, 5, 3]\nReward: 0.0", probe.text
        final = await env.step("answer", "225")
        assert (final.reward, final.done, final.end_reason) == (1, True, "done"), final
        state = await env.state()
        assert state["rewards"] == [0, 1], state
        tools = await env.mcp({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        names = [t["name"] for t in tools["result"]["tools"]]
        assert "interact_with_env" in names, names
        return {"session": first.observation["session_id"], "rewards": state["rewards"]}


def sync_episodes(url: str, token: str) -> dict:
    with SyncEnvClient(url, token=token) as env:
        try:
            env.step("search", "test")
            raise AssertionError("a step before reset must fail")
        except ServerError as err:
            assert err.code == "NO_EPISODE", err
        env.reset(gym="function", task_id="func-1")
        env.step(tool_call={"name": "interact_with_env", "arguments": '{"choice": "search", "content": "test"}'}, text="First the test case.")
        bad = env.step(tool_call={"name": "interact_with_env", "arguments": "{oops"})
        assert bad.done and bad.end_reason == "invalid_tool_call" and bad.text is None, bad
        session = env.state()["session_id"]
    return {"session": session}


def main() -> None:
    url, token = sys.argv[1], sys.argv[2]
    http = ServerHttp(url, token=token)
    assert http.health() == {"status": "healthy"}
    a = asyncio.run(async_episode(url, token))
    b = sync_episodes(url, token)
    credit = http.credit([{"id": "g", "sessions": [a["session"], b["session"]]}], {"turnLevel": "R2G", "trajectoryScore": "Sum"})
    advantages = [t["advantage"] for t in credit["trajectories"]]
    assert advantages[0] > 0 > advantages[1], credit
    try:
        SyncEnvClient(url, token="not-the-token").connect()
        raise AssertionError("a wrong token must be refused")
    except ServerError as err:
        assert err.code == "HTTP_401", err
    try:
        http.credit([{"id": "g", "sessions": ["nope"]}])
        raise AssertionError("an unknown session must be refused")
    except ServerError as err:
        assert err.code == "VALIDATION_ERROR", err
    print(json.dumps({"ok": True, "rewards": a["rewards"], "advantages": advantages}))


if __name__ == "__main__":
    main()
