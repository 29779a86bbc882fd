package dev.bbr.cli;

import dev.bbr.cli.command.BbrCommands;
import dev.bbr.cli.command.Invocation;
import dev.bbr.cli.ops.AllDeploymentsOperations;
import dev.bbr.cli.ops.ArtifactOperations;
import dev.bbr.cli.ops.BackupOperations;
import dev.bbr.cli.ops.RestoreOperations;
import dev.bbr.cli.ops.ServiceOperations;

/** The real operations, wired to the Director client, SSH and the artifact store. */
final class DefaultOperations implements Operations {
    @Override
    public Operation forInvocation(Invocation invocation) {
        if (BbrCommands.ARTIFACTS.equals(invocation.family())) {
            return switch (invocation.subcommand()) {
                case BbrCommands.VERIFY -> ArtifactOperations::verify;
                case BbrCommands.LIST -> ArtifactOperations::list;
                case BbrCommands.PRUNE -> ArtifactOperations::prune;
                case BbrCommands.UNLOCK -> ArtifactOperations::unlock;
                case BbrCommands.COPY -> ArtifactOperations::copy;
                default -> throw new IllegalArgumentException("no operation for artifacts " + invocation.subcommand());
            };
        }
        if (BbrCommands.SERVICE.equals(invocation.family())) {
            return switch (invocation.subcommand()) {
                case BbrCommands.RUN -> ServiceOperations::run;
                case BbrCommands.VALIDATE -> ServiceOperations::validate;
                default -> throw new IllegalArgumentException("no operation for service " + invocation.subcommand());
            };
        }
        if (!invocation.isDirector() && invocation.familyFlags().bool(BbrCommands.ALL_DEPLOYMENTS)) {
            return switch (invocation.subcommand()) {
                case BbrCommands.BACKUP -> AllDeploymentsOperations::backup;
                case BbrCommands.PRE_BACKUP_CHECK -> AllDeploymentsOperations::preBackupCheck;
                case BbrCommands.BACKUP_CLEANUP -> AllDeploymentsOperations::backupCleanup;
                case BbrCommands.RESTORE -> AllDeploymentsOperations::restore;
                default -> throw new IllegalArgumentException("--all-deployments with " + invocation.subcommand());
            };
        }
        return switch (invocation.subcommand()) {
            case BbrCommands.BACKUP -> BackupOperations::backup;
            case BbrCommands.PRE_BACKUP_CHECK -> BackupOperations::preBackupCheck;
            case BbrCommands.BACKUP_CLEANUP -> BackupOperations::backupCleanup;
            case BbrCommands.RESTORE -> RestoreOperations::restore;
            case BbrCommands.RESTORE_CLEANUP -> RestoreOperations::restoreCleanup;
            default -> throw new IllegalArgumentException("no operation for " + invocation.subcommand());
        };
    }
}
