package dev.bbr.lab;

/**
 * Fixed address plans.
 * <ul>
 * <li>loopback (default): all of 127.0.0.0/8 routes to lo on Linux, so every VM owns "its"
 * address and port 22 without any network setup; everything is directly reachable.</li>
 * <li>private: Director, director VM and instances live on 10.244.0.0/24 inside one network
 * namespace; only the jumpbox (10.245.0.2, on a veth to the host's 10.245.0.1) is reachable
 * from the host, so the CLI must use BOSH_ALL_PROXY.</li>
 * </ul>
 */
public record Addresses(boolean privateNet, String directorIp, String directorBindIp, String directorVmIp,
                        String jumpboxIp, String instancePrefix) {
    public static final int DIRECTOR_PORT = 25555;
    public static final int UAA_PORT = 8443;
    /** Deployment instances get consecutive addresses from here, in lab-file order. */
    public static final int FIRST_INSTANCE_OCTET = 20;
    public static final int LAST_INSTANCE_OCTET = 254;
    public static final String PRIVATE_SUBNET = "10.244.0.0/24";
    public static final String HOST_VETH_IP = "10.245.0.1";

    public static Addresses loopback() {
        return new Addresses(false, "127.0.0.10", "127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.");
    }

    public static Addresses privateNetwork() {
        // the JVM cannot bind inside the namespace: it listens on the host end of the veth and a
        // relay inside the namespace serves 10.244.0.10
        return new Addresses(true, "10.244.0.10", HOST_VETH_IP, "10.244.0.11", "10.245.0.2", "10.244.0.");
    }

    public String instanceIp(int ordinal) {
        int octet = FIRST_INSTANCE_OCTET + ordinal;
        if (octet > LAST_INSTANCE_OCTET) {
            throw new LabException("too many instances: at most " + (LAST_INSTANCE_OCTET - FIRST_INSTANCE_OCTET + 1));
        }
        return instancePrefix + octet;
    }
}
