export default `---
name: weather
description: Current weather and forecasts for any place via the free Open-Meteo API (no key).
requires:
  tools: [web_fetch]
---
# Weather

Open-Meteo needs no API key. Two calls:

1. Geocode the place:
   \`web_fetch("https://geocoding-api.open-meteo.com/v1/search?name=<city>&count=1&language=en&format=json")\`
   → take \`latitude\`, \`longitude\`, \`timezone\` of the first result (ask if several places match).
2. Forecast:
   \`web_fetch("https://api.open-meteo.com/v1/forecast?latitude=<lat>&longitude=<lon>&current=temperature_2m,apparent_temperature,precipitation,weather_code,wind_speed_10m&daily=temperature_2m_max,temperature_2m_min,precipitation_probability_max,weather_code&timezone=auto&forecast_days=3")\`

Weather codes: 0 clear, 1–3 partly cloudy to overcast, 45/48 fog, 51–57 drizzle, 61–67 rain, 71–77 snow,
80–82 showers, 95–99 thunderstorm. Use °C unless the user's USER.md says otherwise (add
\`&temperature_unit=fahrenheit\`). Answer in two or three lines: now, today's range, rain chance, and tomorrow.
`;
