# The Tidewater operator, JVM mode. Build the application first (`mvn package -DskipTests`), then
# `docker build -t tidewater/operator:<version> .` from the repository root.
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21

ENV LANGUAGE='en_US:en'

# The fast-jar layout, in four layers from least to most often changed.
COPY --chown=185:0 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:0 target/quarkus-app/*.jar /deployments/
COPY --chown=185:0 target/quarkus-app/app/ /deployments/app/
COPY --chown=185:0 target/quarkus-app/quarkus/ /deployments/quarkus/

EXPOSE 8080
# A numeric non-root user, so that runAsNonRoot can verify it without a passwd lookup.
USER 185
WORKDIR /deployments

# The heap follows the container's memory limit; JBoss LogManager is what Quarkus logs through.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", \
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", \
            "-jar", "/deployments/quarkus-run.jar"]
