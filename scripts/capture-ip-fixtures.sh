#!/bin/sh
# Captures `ip -j` outputs for the allow-list readers: this host's, and a lab namespace's with multipath and two v6 defaults.
set -eu
cd "$(dirname "$0")/../test/fixtures/ip"
ip -j addr > host-addr.json
ip -j route show default > host-route4.json
ip -6 -j route show default > host-route6.json
A="sgfx-$$-a"; B="sgfx-$$-b"
ip netns add "$A"; ip netns add "$B"
trap 'ip netns del "$A"; ip netns del "$B"' EXIT
ip -n "$A" link add v0 type veth peer name v1 netns "$B"
ip -n "$A" link add v2 type veth peer name v3 netns "$B"
for l in lo v0 v2; do ip -n "$A" link set "$l" up; done
for l in v1 v3; do ip -n "$B" link set "$l" up; done
ip -n "$A" addr add 198.51.100.2/24 dev v0; ip -n "$A" addr add 203.0.113.10/24 dev v2
ip -n "$A" addr add 2001:db8:1::2/64 dev v0 nodad; ip -n "$A" addr add 2001:db8:2::2/64 dev v2 nodad
ip -n "$A" addr add ::ffff:0:0/128 dev lo
ip -n "$B" addr add 198.51.100.1/24 dev v1; ip -n "$B" addr add 203.0.113.1/24 dev v3
ip -n "$B" addr add 2001:db8:1::1/64 dev v1 nodad; ip -n "$B" addr add 2001:db8:2::1/64 dev v3 nodad
ip -n "$A" route add default nexthop via 198.51.100.1 dev v0 weight 1 nexthop via 203.0.113.1 dev v2 weight 1
ip -n "$A" -6 route add default via 2001:db8:1::1 dev v0 metric 100
ip -n "$A" -6 route add default via fe80::1 dev v2 metric 200
sleep 1 # let link-local addresses appear
ip -n "$A" -j addr > lab-addr.json
ip -n "$A" -j route show default > lab-route4.json
ip -n "$A" -6 -j route show default > lab-route6.json
ip -n "$B" -j route show default > lab-noroute4.json
ip -n "$B" -6 -j route show default > lab-noroute6.json
