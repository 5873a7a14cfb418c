# Shared by the benchmark scripts (sourced, not run).
# Packages the service and makes the class-data sharing archive src/main/docker/Dockerfile.jvm makes, the
# same way with this JVM: start the application with no database reachable; it loads everything up to its
# first connection, then exits, and the JVM archives the classes it loaded.
package_with_cds_archive() {
  ./mvnw -B -q package -DskipTests
  rm -f target/quarkus-app/app-cds.jsa
  (cd target/quarkus-app && DB_URL=postgresql://127.0.0.1:9/none java -XX:ArchiveClassesAtExit=app-cds.jsa \
    -jar quarkus-run.jar > ../app-cds.log 2>&1 || true)
}
