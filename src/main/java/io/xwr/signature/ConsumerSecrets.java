package io.xwr.signature;

import java.util.List;

/**
 * The secrets of one X app, newest first. All verify POST signatures (rotation, spec 10.1); exactly one, the
 * first, answers CRCs.
 */
public record ConsumerSecrets(List<ConsumerSecret> all) {

    public ConsumerSecrets {
        all = List.copyOf(all);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("at least one consumer secret is required");
        }
    }

    public static ConsumerSecrets of(List<String> secrets) {
        return new ConsumerSecrets(secrets.stream().map(ConsumerSecret::new).toList());
    }

    /** The secret that answers CRCs. */
    public ConsumerSecret crcSecret() {
        return all.getFirst();
    }
}
