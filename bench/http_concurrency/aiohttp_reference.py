#!/usr/bin/env python3
# bench/http_concurrency/aiohttp_reference.py — the other side of http_concurrency_bench:
# the original project's plan for concurrent requests (Python asyncio + aiohttp), timed the
# same way as the C++ client. Sends N OpenAI-style chat completions to URL at once, reads each
# answer's choices[0].message.content, and prints "aiohttp N=<n> wall=<seconds>s ok=<count>".
# usage: /usr/bin/python3 aiohttp_reference.py URL N     (Debian: python3-aiohttp)
import asyncio
import sys
import time

import aiohttp

BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


async def ask(session, url):
    async with session.post(url, json=BODY) as answer:
        return (await answer.json())["choices"][0]["message"]["content"]


async def run(url, count):
    # limit=0: no connection pool cap, as the C++ side opens what it needs.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        started = time.perf_counter()
        answers = await asyncio.gather(*(ask(session, url) for _ in range(count)),
                                       return_exceptions=True)
        wall = time.perf_counter() - started
    ok = sum(isinstance(a, str) for a in answers)
    print(f"aiohttp N={count} wall={wall:.3f}s ok={ok}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: aiohttp_reference.py URL N")
    asyncio.run(run(sys.argv[1], int(sys.argv[2])))
