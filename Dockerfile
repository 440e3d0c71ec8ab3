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
COPY --from=build --chown=1001:root /project/target/quarkus-app/ /deployments/
EXPOSE 8443 9000
USER 1001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=/tmp", "-Dquarkus.management.host=0.0.0.0", "-jar", "/deployments/quarkus-run.jar"]
