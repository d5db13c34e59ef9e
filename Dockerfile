FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY seatfinder seatfinder
COPY constituencies constituencies
RUN pip install --no-cache-dir .
COPY . .
EXPOSE 8000
CMD ["gunicorn", "seatfinder.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
