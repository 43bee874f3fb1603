"""Outbound requests to addresses a user typed: name lookup with a time limit, the public-address
check (SSRF), and a connection pinned to the addresses just checked.

Shared by webhooks (api) and notification targets (notify): docs/architecture.md "Webhooks" and
"Notifications". Each caller decides whether private addresses are allowed (an instance setting).
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import socket

DNS_TIMEOUT_SECONDS = 3.0


class AddressRefused(ValueError):
    """A host we will not send to; the message says why, in words for the owner."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, or AddressRefused within DNS_TIMEOUT_SECONDS."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    future = pool.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=DNS_TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError:
        raise AddressRefused(f"Looking up “{host}” took too long; check the address.") from None
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(f"“{host}” could not be found (DNS); check the address.") from None
    finally:
        pool.shutdown(wait=False)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int, *, allow_private: bool, setting: str) -> list[str]:
    """``host``'s addresses, refused if any is private, loopback or reserved (unless
    ``allow_private``; ``setting`` names the instance setting that allows it, for the message)."""
    addresses = resolve(host, port)
    if not allow_private:
        private = [address for address in addresses if not is_public(address)]
        if private:
            raise AddressRefused(
                f"“{host}” points to a private or reserved address ({private[0]}); "
                f"only public addresses are allowed ({setting} allows others)."
            )
    return addresses


def connect_pinned(host: str, addresses: list[str]):
    """A ``create_connection`` replacement that connects only to ``addresses`` (in order, as
    create_connection tries a host's), so DNS cannot be switched to a private address between
    the check and the connect; TLS still checks the certificate against ``host``."""

    def connect(address, timeout=None, source_address=None, **kwargs):
        error: OSError | None = None
        for pinned in addresses:
            try:
                return socket.create_connection((pinned, address[1]), timeout, source_address)
            except OSError as exc:
                error = exc
        raise error or OSError(f"No address for {host}")

    return connect
