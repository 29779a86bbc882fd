package dev.bbr.director;

import java.util.List;

/**
 * One line of the {@code vms?format=full} task result: an instance that currently has a VM.
 *
 * @param id instance UUID
 * @param jobName instance-group name ({@code job_name})
 * @param index instance index; nullable (bbr reports {@code vmInfo index is nil})
 * @param ips IPs from the Director DB, never null
 * @param bootstrap whether this is the group's bootstrap instance (null treated as false)
 * @param az availability zone, nullable
 * @param active whether the VM is active; nullable on older Directors
 */
public record VmInfo(String id, String jobName, Integer index, List<String> ips, boolean bootstrap,
        String az, Boolean active) {}
