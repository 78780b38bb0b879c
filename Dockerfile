# One image per side, built from this repository:
#   docker build --build-arg MODULE=command-side -t crm/command-side .
#   docker build --build-arg MODULE=query-side   -t crm/query-side .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
ARG MODULE
RUN ./mvnw -B -q -DskipTests -pl ${MODULE} -am package

FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 crm && mkdir -p /data && chown crm /data
COPY --from=build /src/${MODULE}/target/${MODULE}.jar /app/app.jar
USER crm
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/app.jar", "--crm.data-dir=/data"]
