/** The user-space SLIP/IPv4/TCP stack: public surface. */
export { NetStack, type NetStackOptions, type ConnectOptions, type PingOptions } from './net-stack';
export { TcpSocket, type TcpState } from './tcp-socket';
export { type TcpOptions, DEFAULT_TCP_OPTIONS } from './tcp-options';
export { type NetCounters, type DroppedCounters } from './counters';
export { NetError, type NetErrorCode } from './errors';
export { createLinkPair, type LinkPairOptions } from './link-pair';
export { pacedLink, UartLine, wireTimeMs, type UartTiming } from './paced-line';
export { slipEncode, SlipDecoder } from './slip';
