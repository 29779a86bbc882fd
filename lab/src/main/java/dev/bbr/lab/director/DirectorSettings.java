package dev.bbr.lab.director;

/** Static Director identity and where it listens. */
public record DirectorSettings(String name, String uuid, String ip, String bindIp, int port, boolean uaa, int uaaPort,
                               String client, String clientSecret) {
    public String url() {
        return "https://" + ip + ":" + port;
    }

    String hostPort() {
        return ip + ":" + port;
    }

    public String uaaUrl() {
        return "https://" + ip + ":" + uaaPort;
    }
}
