package io.fieldproof.operator.rollout.source;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a URL's host into the addresses the fetcher checks and then connects to, so that no second
 * lookup happens between the check and the connection. Tests put their own names here.
 */
@FunctionalInterface
interface HostResolver {

  /** The system's resolver: a literal address is returned as it is, without a lookup. */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  /** Every address of the host, in the order to try them; never empty. */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
