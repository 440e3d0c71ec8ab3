# JVM image of x-webhook-receiver (for environments without a native build).
#   docker build -t x-webhook-receiver:jvm .
FROM eclipse-temurin:25-jdk AS build
WORKDIR /project
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -ntp -q dependency:resolve
COPY src src
RUN ./mvnw -B -ntp package -DskipTests

FROM eclipse-temurin:25-jre
WORKDIR /deployments
# Owned by root, readable and never writable by the user that runs it: a compromised process cannot alter its jars.
COPY --from=build --chown=0:0 --chmod=0755 /project/target/quarkus-app/ /deployments/
EXPOSE 8443 9000
USER 1001
# An OutOfMemoryError leaves a JVM in an unknown state: exit, and Kubernetes restarts the pod (deliveries not yet
# acknowledged are retried by X; acknowledged ones are already committed).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-Dquarkus.management.host=0.0.0.0", "-jar", "/deployments/quarkus-run.jar"]
